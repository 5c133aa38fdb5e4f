// Released migrations are never edited; add 0006_… instead (house rule 5).
// The twin of migrations/postgres/0005_change_notifications.ts, kept so both dialects number
// their migrations alike, and empty: PostgreSQL's triggers announce configuration changes to the
// other instances sharing the database, while an SQLite file has one process writing it, whose
// caches hear of every change in-process (src/cluster/change-sync.ts).
export const sql = `-- nothing to change on SQLite
`;
