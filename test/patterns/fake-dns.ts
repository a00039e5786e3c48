import { createSocket, Socket } from 'dgram';

// A DNS server for tests, on 127.0.0.1 over UDP: it answers A queries for the names it knows with
// 127.0.0.1 (TTL 1 s), and NXDOMAIN for every other name; no record for other query types. Enough
// for nginx's resolver.

const TYPE_A = 1;
const CLASS_IN = 1;
const NXDOMAIN = 3;

export class FakeDns {
  /** Start one on a free port. */
  public static async start(): Promise<FakeDns> {
    const socket = createSocket('udp4');
    await new Promise<void>(resolve => socket.bind(0, '127.0.0.1', resolve));
    return new FakeDns(socket);
  }

  /** The names answered, lower case, without a trailing dot. */
  public readonly names = new Set<string>();
  /** Every name asked for, in order. */
  public readonly queries: string[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (query, peer) => {
      const reply = this.answer(query);
      if (reply !== undefined) {
        socket.send(reply, peer.port, peer.address);
      }
    });
  }

  /** The port it listens on. */
  public get port(): number {
    return this.socket.address().port;
  }

  public close(): Promise<void> {
    return new Promise(resolve => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer | undefined {
    if (query.length < 12 || query.readUInt16BE(4) !== 1) {
      return undefined;
    }
    const labels: string[] = [];
    let offset = 12;
    while (offset < query.length && query[offset] !== 0) {
      const length = query[offset];
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
    }
    const questionEnd = offset + 5; // the root label, QTYPE, QCLASS
    if (questionEnd > query.length) {
      return undefined;
    }
    const name = labels.join('.').toLowerCase();
    const type = query.readUInt16BE(offset + 1);
    this.queries.push(name);
    const known = this.names.has(name);
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // the id
    header.writeUInt16BE(0x8180 | (known ? 0 : NXDOMAIN), 2); // response, recursion desired and available
    header.writeUInt16BE(1, 4); // one question
    const answers = known && type === TYPE_A ? 1 : 0;
    header.writeUInt16BE(answers, 6);
    const parts = [header, query.subarray(12, questionEnd)];
    if (answers === 1) {
      const record = Buffer.alloc(16);
      record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      record.writeUInt16BE(TYPE_A, 2);
      record.writeUInt16BE(CLASS_IN, 4);
      record.writeUInt32BE(1, 6); // TTL
      record.writeUInt16BE(4, 10);
      record.set([127, 0, 0, 1], 12);
      parts.push(record);
    }
    return Buffer.concat(parts);
  }
}
