package dev.distillery.store;

import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Key/value settings: window layout, last screen, compute threads and the like. */
interface SettingsDao {
    @SqlQuery("SELECT setting_value FROM settings WHERE setting_key = :key")
    Optional<String> get(@Bind("key") String key);

    @SqlUpdate("MERGE INTO settings (setting_key, setting_value, updated_at) KEY (setting_key) "
            + "VALUES (:key, :value, CURRENT_TIMESTAMP)")
    void put(@Bind("key") String key, @Bind("value") String value);

    @SqlUpdate("DELETE FROM settings WHERE setting_key = :key")
    int delete(@Bind("key") String key);

    // LEFT(...) rather than LIKE, so '_' and '%' in a prefix are taken literally.
    @SqlUpdate("DELETE FROM settings WHERE LEFT(setting_key, CHAR_LENGTH(:prefix)) = :prefix")
    int deletePrefix(@Bind("prefix") String prefix);

    @SqlQuery("SELECT setting_key, setting_value FROM settings ORDER BY setting_key")
    @KeyColumn("setting_key")
    @ValueColumn("setting_value")
    Map<String, String> all();
}
