-- The rows SQLite's migrations insert (settings singletons, built-in skills).
INSERT INTO shift_settings VALUES (1, 'Asia/Shanghai', 480, 40, 480, NULL);
INSERT INTO community_settings VALUES (1, NULL);
INSERT INTO skills VALUES
    ('counselling', '心理疏导', TRUE, '2020-01-01T00:00:00Z'),
    ('delivery', '配送', TRUE, '2020-01-01T00:00:00Z'),
    ('driving', '驾驶', TRUE, '2020-01-01T00:00:00Z'),
    ('it', '信息技术', TRUE, '2020-01-01T00:00:00Z'),
    ('language', '外语', TRUE, '2020-01-01T00:00:00Z'),
    ('medical', '医护', TRUE, '2020-01-01T00:00:00Z');
