"""How an evaluation is shown: sections as labelled fields and tables (presenters), server-drawn
SVG charts (charts), and the context the detail page, the report page and the PDF render
(pages). Reads `EvaluationRecord`s; never queries on its own."""
