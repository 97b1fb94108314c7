-- why: the language a customer chose with /language ("de"); empty: their platform's locale matched, else the business's.
ALTER TABLE contacts ADD COLUMN language TEXT NOT NULL DEFAULT '';
