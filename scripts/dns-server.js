// A real DNS server (dns2) on a loopback UDP port for the tests' domain verification. It answers
// TXT questions from files in a directory, one file per record name holding a JSON array of
// values, so that any test process (jest runs several) can publish records by writing a file:
// see server/src/test/dns-server.ts. Every other question gets NXDOMAIN.
const fs = require('node:fs');
const path = require('node:path');
const dns2 = require('dns2');

const { Packet } = dns2;
const NAME = /^[a-z0-9._-]{1,253}$/;

/** The file that holds a record name's TXT values; names outside DNS's alphabet have none. */
function recordFile(recordsDir, name) {
  const lowered = String(name).toLowerCase().replace(/\.$/, '');
  return NAME.test(lowered) ? path.join(recordsDir, lowered) : null;
}

function txtValues(recordsDir, name) {
  const file = recordFile(recordsDir, name);
  if (!file) return [];
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

async function startDnsServer(recordsDir) {
  fs.mkdirSync(recordsDir, { recursive: true });
  const server = dns2.createServer({
    udp: true,
    handle(request, send) {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const values = question && question.type === Packet.TYPE.TXT ? txtValues(recordsDir, question.name) : [];
      for (const value of values) {
        response.answers.push({
          name: question.name,
          type: Packet.TYPE.TXT,
          class: Packet.CLASS.IN,
          ttl: 0,
          data: value,
        });
      }
      if (!values.length) response.header.rcode = Packet.RCODE.NXDOMAIN;
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const { port } = server.addresses().udp;
  return { address: `127.0.0.1:${port}`, recordsDir, close: () => server.close() };
}

module.exports = { startDnsServer, recordFile };
