-- why: number 0013 is reserved for another branch's migration (merged beside 0014_kind_rollups); the lead replaces this file with it when merging. It changes nothing.
SELECT 1;
