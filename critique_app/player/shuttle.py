"""J/K/L shuttle as editors know it (Premiere, Resolve, Avid), as plain state: no Qt, no engine.

L plays forward, L again doubles the speed up to 8x; J does the same backwards; K stops.
Holding K while tapping L or J steps one frame instead of playing.
"""

from __future__ import annotations

SPEEDS = (1.0, 2.0, 4.0, 8.0)


class Shuttle:
    def __init__(self) -> None:
        self.speed = 0.0  # signed; 0 = stopped
        self.k_held = False

    def press_l(self) -> float | int:
        """New signed speed, or the int +1 meaning 'step one frame forward' (K held)."""
        if self.k_held:
            self.speed = 0.0
            return 1
        self.speed = self._faster(self.speed) if self.speed > 0 else SPEEDS[0]
        return self.speed

    def press_j(self) -> float | int:
        """New signed speed, or the int -1 meaning 'step one frame back' (K held)."""
        if self.k_held:
            self.speed = 0.0
            return -1
        self.speed = -self._faster(-self.speed) if self.speed < 0 else -SPEEDS[0]
        return self.speed

    def press_k(self) -> float:
        self.k_held = True
        self.speed = 0.0
        return self.speed

    def release_k(self) -> None:
        self.k_held = False

    def stop(self) -> None:
        self.speed = 0.0

    @staticmethod
    def _faster(speed: float) -> float:
        for s in SPEEDS:
            if s > speed + 1e-9:
                return s
        return SPEEDS[-1]
