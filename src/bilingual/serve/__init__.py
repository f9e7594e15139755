"""``bilingual serve``: the reading page as a local post-editing and glossary workbench."""
