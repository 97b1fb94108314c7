-- why: a run keeps the questions it started with (JSON, core.EncodeQuestions), so a plan changed while surveys run corrupts nothing; empty: a run from before, asked from the plan as configured.
ALTER TABLE survey_runs ADD COLUMN questions TEXT NOT NULL DEFAULT '';
