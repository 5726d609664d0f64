/** The template of REFERENCE.md "Package template, format v1", verbatim (comments included). */
export const REFERENCE_EXAMPLE = `hfitVersion: 1                 # required, must be 1
templateName: usecase_data     # required; the name it is stored under on the server
projectName: project_name      # informational
packageName: basedata_$1       # name of the package folder; $N and \${var} substituted
prepare:                       # ordered list, run in order; each step sets one variable
  - setVar: dataid
    from: input                # $N = N-th CLI argument (1-based); out of range -> clear error
    source: $1
  - setVar: usrId
    from: hot-data
    hdata:
      type: dbquery            # first column of first row; no row -> clear error
      dbms: dbms_mysql1        # a configured source name
      query: "SELECT usrId FROM dbname.datatable WHERE dataid=\${dataid} ORDER BY utime LIMIT 1"
  - setVar: fBaseName
    from: hot-data
    hdata:
      type: volume             # pick one file on a volume
      volume: vol1
      glob: "*_\${dataid}_\${usrId}_*.txt"
      sort: "mtime|desc"       # mtime|name|size, asc|desc; the first file after sorting wins
      regex_replace: "/([0-9]+).*/$1/"   # applied to the chosen file's name to give the value
exports:                       # map: key = file name inside the package
  dbcreate.sql:
    type: dbcreate             # CREATE DATABASE/SCHEMA + DDL of every table of the listed databases
    data: { dbms: dbms_mysql1, tablelist: [dbname1, dbname2] }
  tablegroup1.create.sql:
    type: table-create         # DDL of each listed table
    data: { dbms: dbms_mysql1, tablelist: [dbname1.table1, dbname2.table2], option: dropcreate }  # or ifnotexists
  tabledata1.data.sql:
    type: table-data           # rows of one table matching filter, as SQL
    data: { dbms: dbms_mysql1, table: dbname1.table1, filter: "WHERE key<34 AND key>12" }
  target-filename.txt:
    type: file                 # one file copied from a volume
    data: { volume: datavol1, path: "relative/path/to/file_\${dataid}_\${usrId}_\${fBaseName}.txt" }
`;
