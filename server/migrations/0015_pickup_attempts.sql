-- Wrong pickup codes given at the door for a request. After five in a row the check locks
-- for fifteen minutes, so a six-digit code cannot be found by trying (a volunteer marking
-- a delivery done without handing it over).
ALTER TABLE supply_requests ADD COLUMN pickup_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE supply_requests ADD COLUMN pickup_locked_until TEXT;
