-- why: one open prompt per person: a survey question and "is your problem solved?" become prompts on the contact, so a stale offer never wins over them.
ALTER TABLE contacts ADD COLUMN pending_complaint INTEGER;

-- A contact in a live survey is answering its question, whatever older offer was pending.
UPDATE contacts SET pending = 'survey', pending_text = '', pending_complaint = NULL,
	pending_run = (SELECT r.id FROM survey_runs r WHERE r.contact_id = contacts.id
		AND r.state IN ('sent', 'in_progress') ORDER BY r.due_at, r.id LIMIT 1),
	pending_at = (SELECT coalesce(r.reminded_at, r.sent_at) FROM survey_runs r WHERE r.contact_id = contacts.id
		AND r.state IN ('sent', 'in_progress') ORDER BY r.due_at, r.id LIMIT 1)
WHERE erased_at IS NULL AND pending IN ('', 'file_offer') AND EXISTS (SELECT 1 FROM survey_runs r
	WHERE r.contact_id = contacts.id AND r.state IN ('sent', 'in_progress'));

-- A contact whose complaint was resolved is asked whether it is solved.
UPDATE contacts SET pending = 'solved', pending_text = '', pending_run = NULL,
	pending_complaint = (SELECT max(c.id) FROM complaints c WHERE c.contact_id = contacts.id AND c.status = 'resolved'),
	pending_at = (SELECT max(c.resolved_at) FROM complaints c WHERE c.contact_id = contacts.id AND c.status = 'resolved')
WHERE erased_at IS NULL AND pending IN ('', 'file_offer') AND EXISTS (SELECT 1 FROM complaints c
	WHERE c.contact_id = contacts.id AND c.status = 'resolved');
