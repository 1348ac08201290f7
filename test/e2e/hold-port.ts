/** Holds a loopback port open until killed (the "port already taken" case); says when it does. */
import { createServer } from 'node:net';

createServer().listen(Number(process.argv[2]), 'localhost', () => process.stdout.write('listening\n'));
