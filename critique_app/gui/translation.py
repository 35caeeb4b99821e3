"""The window's language: Critique's catalogue (critique_app.i18n) and Qt's own.

Critique's sentences all come from the gettext catalogue through `_()`; Qt's own words (the
buttons of standard dialogs: OK, Cancel, Yes, No; the file dialog; the context menu of a text
field) come from the catalogue Qt ships (qtbase_fr.qm in PyQt6's Qt translations folder),
loaded here with a QTranslator. Number and date widgets follow the same language (QLocale).
The language is chosen once, when the window starts: a change in Preferences applies after a
restart (the preference, unless `--language` was given on the command line).
"""

from __future__ import annotations

from PyQt6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from critique_app import i18n

# Kept alive as long as the application: a QTranslator removed by the garbage collector
# takes its translations with it.
_qt_translators: list[QTranslator] = []


def apply_language(app: QCoreApplication, preference: str) -> str:
    """Use the language of `preference` (Preferences: "system", "en", "fr") unless the command
    line chose one; load Qt's own catalogue for it. The language in use."""
    if not i18n.chosen_explicitly():
        i18n.use(i18n.choose(preference=preference))
    language = i18n.current()
    for old in _qt_translators:
        app.removeTranslator(old)
    _qt_translators.clear()
    locale = QLocale(i18n.babel_locale())
    QLocale.setDefault(locale)
    if language != i18n.SOURCE and language != i18n.PSEUDO:
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translator = QTranslator(app)
        if translator.load(locale, "qtbase", "_", folder):
            app.installTranslator(translator)
            _qt_translators.append(translator)
    return language
