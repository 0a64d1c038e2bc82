-- Trial fixes for residents (issue 14): urgent requests first on the staff dashboard, a
-- supply request's history stored as codes rather than Chinese sentences, and the
-- community's duty hotline a household with a fever is given.

-- The dashboard: a grid's requests in a state, urgent first, then priority, oldest first.
-- 'urgent' sorts after 'normal', so `urgency DESC` puts urgent requests first.
DROP INDEX supply_requests_dashboard;
CREATE INDEX supply_requests_dashboard
    ON supply_requests (grid_id, state, urgency DESC, priority DESC, created_at);

-- What the system recorded about a change, as JSON `{"code": ..., params}`; `note` keeps
-- only a person's own words. Earlier rows had the system's part written into `note` in
-- Chinese: those three sentences become codes here.
ALTER TABLE request_events ADD COLUMN detail TEXT;
UPDATE request_events
   SET detail = json_object('code', 'assigned_to', 'volunteer', substr(note, 5)), note = NULL
 WHERE note LIKE '指派给 %';
UPDATE request_events
   SET detail = json_object('code', 'added_to_run',
                            'run_id', CAST(substr(note, 5, length(note) - 10) AS INTEGER)),
       note = NULL
 WHERE note LIKE '编入第 % 批楼栋配送';
UPDATE request_events
   SET detail = json_object('code', 'handed_over_at_gate'), note = NULL
 WHERE note = '已在楼门口交接';

-- Community-wide settings households are told; one row.
CREATE TABLE community_settings (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    -- 社区值班电话, shown to a household that reports a fever.
    hotline TEXT
);
INSERT INTO community_settings (id) VALUES (1);
