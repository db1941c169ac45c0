"""Content pipeline: files in modules/ and question_banks/ -> validated, compiled snapshots."""
