"""The Reference library panel: the known AI material films are matched against, reviewed and pruned."""
