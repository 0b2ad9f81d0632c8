-- The catalogue's database and its two roles, on Debian's PostgreSQL. Run once, as postgres:
--     sudo -u postgres psql -v ON_ERROR_STOP=1 -f /opt/bucks-dva/deploy/postgresql/setup.sql
-- Each role is the name of the system user its services run as: Debian's pg_hba.conf lets a local user in
-- as the role of the same name over the Unix socket (peer), so no password exists anywhere.
--   "bucksdva-admin" (the staff admin) owns the catalogue and brings its schema up to date.
--   bucksdva (Rasa and the action server, which face the public) may only read it, so a compromised one
--   cannot change the contact details people are given.
CREATE ROLE "bucksdva-admin" LOGIN;
CREATE ROLE bucksdva LOGIN;
CREATE DATABASE bucks_dva OWNER "bucksdva-admin" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE bucks_dva FROM PUBLIC;
GRANT CONNECT ON DATABASE bucks_dva TO bucksdva;

\connect bucks_dva
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO bucksdva;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO bucksdva;
-- Tables the admin creates later (migrations) are readable too.
ALTER DEFAULT PRIVILEGES FOR ROLE "bucksdva-admin" IN SCHEMA public GRANT SELECT ON TABLES TO bucksdva;
