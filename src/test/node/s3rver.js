// Starts s3rver (S3 in a directory) on 127.0.0.1 only. Usage: node s3rver.js PORT DATA_DIR
const S3rver = require('s3rver');

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || !process.argv[3]) {
  console.error('usage: node s3rver.js PORT DATA_DIR');
  process.exit(2);
}
const server = new S3rver({ address: '127.0.0.1', port, directory: process.argv[3], silent: true });
server.run().then(() => console.log(`s3rver listening on 127.0.0.1:${port}`));
const stop = () => server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
