/**
 * Session settings a MySQL/MariaDB data file sets before its INSERTs, in mysqldump's form (the
 * `/*!NNNNN … *\/` comments run on every MySQL/MariaDB server and are ignored by other readers):
 * - `SET NAMES utf8mb4`: the file's strings are utf8mb4 bytes, whatever the importing client's default;
 * - `TIME_ZONE='+00:00'`: TIMESTAMP values were read in UTC and must be written back in UTC;
 * - `UNIQUE_CHECKS=0`, `FOREIGN_KEY_CHECKS=0`: rows load in any table order, and faster;
 * - `SQL_MODE='NO_AUTO_VALUE_ON_ZERO'`: an id 0 stays 0, zero dates load, and backslash escapes are
 *   honoured (`NO_BACKSLASH_ESCAPES` off), which the string literals depend on;
 * - `SQL_NOTES=0`: no warnings noise for the above.
 * Every previous value is saved in an `@OLD_…` variable and restored by {@link MYSQL_DUMP_FOOTER}.
 */
export const MYSQL_DUMP_HEADER = [
  '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
  '/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;',
  '/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;',
  '/*!40101 SET NAMES utf8mb4 */;',
  '/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;',
  "/*!40103 SET TIME_ZONE='+00:00' */;",
  '/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;',
  '/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;',
  "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
  '/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;',
  '',
].join('\n');

/** Restores what {@link MYSQL_DUMP_HEADER} changed, in reverse order. */
export const MYSQL_DUMP_FOOTER = [
  '',
  '/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;',
  '/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;',
  '/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;',
  '/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;',
  '/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;',
  '/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;',
  '/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;',
  '/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;',
  '',
].join('\n');
