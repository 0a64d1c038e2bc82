-- Issue 14, zones and moderation after the trial.
-- A zone decision's public reason (`reason`, printed on the board) is kept apart from what
-- only staff may read (`internal_note`), and it names whom the building's residents call.
ALTER TABLE building_zones ADD COLUMN internal_note TEXT;
ALTER TABLE building_zones ADD COLUMN contact_name TEXT;
ALTER TABLE building_zones ADD COLUMN contact_phone TEXT;
ALTER TABLE scheduled_zones ADD COLUMN internal_note TEXT;
ALTER TABLE scheduled_zones ADD COLUMN contact_name TEXT;
ALTER TABLE scheduled_zones ADD COLUMN contact_phone TEXT;

-- A question (咨询) answered privately: the asker reads the answer on 我的提交. It is a
-- verdict like the others, but the status CHECK of 0005 cannot take a new value without
-- rebuilding a table other tables reference, so an answered question keeps status
-- 'pending' with `answered_at` set, and every query reads the pair as "answered".
ALTER TABLE submissions ADD COLUMN answer TEXT;
ALTER TABLE submissions ADD COLUMN answered_at TEXT;
