"""``bilingual serve``: the reading page as a local post-editing and glossary workbench.

- :mod:`.workspace`: the texts open for editing, and every edit as a library call (edit,
  accept a suggestion, review, undo, glossary entries), through the translation memory and the
  glossary file, with the version check that keeps two editors from overwriting each other.
- :mod:`.writer`: the outputs rewritten in a thread of their own once edits pause.
- :mod:`.pages`: the served reading page (the static one plus the editor) and the index.
- :mod:`.security`: host, origin and session-token checks, bounded JSON bodies, folder files.
- :mod:`.app`: the Starlette application and its routes; :mod:`.server`: uvicorn.

Only :mod:`.app`, :mod:`.security` and :mod:`.server` import Starlette or uvicorn.
"""
