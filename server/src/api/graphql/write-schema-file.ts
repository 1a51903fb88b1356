import { writeFileSync } from 'node:fs';
import { printSortedSchema, SCHEMA_FILE } from './schema-file.ts';

writeFileSync(SCHEMA_FILE, printSortedSchema());
console.log(`schema written to ${SCHEMA_FILE}`);
