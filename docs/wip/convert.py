"""Convert server code from sqlx's query API to db::sql's (run from server/)."""
import re,glob
files=[f for f in glob.glob('src/**/*.rs',recursive=True) if not f.endswith('db/sql.rs')]
for f in files:
    s=open(f).read(); o=s
    s=s.replace('sqlx::query_as::<_, ','sql::query_as::<')
    s=s.replace('sqlx::query_scalar::<_, ','sql::query_scalar::<')
    s=s.replace('sqlx::query_as(','sql::query_as(')
    s=s.replace('sqlx::query_scalar(','sql::query_scalar(')
    s=s.replace('sqlx::query(','sql::query(')
    s=s.replace('QueryBuilder::<Sqlite>::new','QueryBuilder::new')
    s=s.replace("QueryBuilder<'_, Sqlite>","QueryBuilder<'_>")
    if s!=o:
        if 'sql::' in s and not re.search(r'^\s*use (crate::db|super)::sql;|^\s*use crate::db::\{[^}]*\bsql\b|^\s*use super::\{[^}]*\bsql\b', s, re.M):
            m=re.search(r'^use .*?;\n', s, re.M|re.S)
            imp='use super::sql;\n' if f.startswith('src/db/') else 'use crate::db::sql;\n'
            s=(s[:m.start()]+imp+s[m.start():]) if m else imp+s
        open(f,'w').write(s); print('converted',f)
for f in files:
    s=open(f).read()
    if 'last_insert_rowid' in s: print('MANUAL last_insert_rowid:',f)
    if re.search(r'Executor<\'e, Database = Sqlite>',s): print('MANUAL Executor:',f)
