// Starts kinesalite on 127.0.0.1 only (its CLI binds every interface).
// Usage: node kinesalite.js PORT [DATA_DIR]   (no DATA_DIR: in memory)
const kinesalite = require('kinesalite');

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node kinesalite.js PORT [DATA_DIR]');
  process.exit(2);
}
const options = { createStreamMs: 50, deleteStreamMs: 50, updateStreamMs: 50, shardLimit: 100 };
if (process.argv[3]) options.path = process.argv[3];

const server = kinesalite(options);
server.listen(port, '127.0.0.1', (err) => {
  if (err) throw err;
  console.log(`kinesalite listening on 127.0.0.1:${port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
