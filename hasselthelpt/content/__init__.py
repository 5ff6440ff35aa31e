"""Content: the first stage of the pipeline (content -> outputs -> build).

What the editors' files are and may be: `schema` (fields, vocabularies, the JSON Schema), `loading` (reads
vacancies/ and content/ into checked `Item`s, Markdown through `sanitise`), `publication` (what is visible, live,
previewed and on which channel) and the rules the check and the pages apply (`facts`, `reading`, `links`,
`plain_dutch`, `characters`, `direction`, `history`, `gone`, `search_filters`, `newfile`).

Nothing is re-exported here: import the module itself, e.g. `from ..content.loading import Corpus`.
"""
