-- Key/value settings of the app shell: window layout, last screen, compute threads, ...
CREATE TABLE settings (
    setting_key   VARCHAR(200)  NOT NULL PRIMARY KEY,
    setting_value VARCHAR(4000) NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
