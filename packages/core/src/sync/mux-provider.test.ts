/** MuxSyncProvider input checks (the protocol behaviour is the contract suite in apps/sync-server/test). */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docName } from './doc-names';
import { MuxSyncProvider } from './mux-provider';
import { relayMuxUrl } from './protocol';
import { createRelayToken } from './token';

const SECRET = 'unit-secret-0123456789abcdef';
const token = createRelayToken(
  { campaign: 'c1', user: 'ana', role: 'player', owns: ['pc1'], ttlSeconds: 60, nowMs: Date.now() },
  SECRET,
);

describe('MuxSyncProvider input', () => {
  it('refuses a campaign other than the token’s, and bad relay URLs, naming the field', () => {
    expect(
      () => new MuxSyncProvider({ relayUrl: 'ws://127.0.0.1:1', token, campaign: 'c2', connect: false }),
    ).toThrow(/^campaign: token is for campaign c1, not c2/);
    expect(() => new MuxSyncProvider({ relayUrl: 'http://x', token, connect: false })).toThrow(/^relayUrl: /);
    expect(() => new MuxSyncProvider({ relayUrl: 'ws://x', token: 'nope', connect: false })).toThrow(
      /^token: /,
    );
  });

  it('attach refuses other campaigns, bad names and duplicates; the default origin names the token user', () => {
    const p = new MuxSyncProvider({ relayUrl: 'ws://127.0.0.1:1', token, connect: false });
    try {
      expect(p.remoteOrigin).toEqual({ kind: 'remote', author: 'ana' });
      expect(() => p.attach(docName('c2', 'character', 'pc1'), new Y.Doc())).toThrow(
        /^docName: .*not in campaign c1/,
      );
      expect(() => p.attach('c1/nonsense/x', new Y.Doc())).toThrow(/^docName\.kind: /);
      const name = docName('c1', 'character', 'pc1');
      p.attach(name, new Y.Doc());
      expect(() => p.attach(name, new Y.Doc())).toThrow(/already attached/);
      expect(p.docStatus(name)).toEqual({ docName: name, status: 'pending' });
      p.detach(name);
      expect(p.attachedDocs()).toEqual([]);
    } finally {
      p.destroy();
    }
  });

  it('builds the multiplexed URL from the relay URL (prefix kept, token in the query)', () => {
    expect(relayMuxUrl('ws://h:1/relay/', 'c1', 'a.b')).toBe('ws://h:1/relay/c1?token=a.b');
    expect(relayMuxUrl('wss://h', 'c1')).toBe('wss://h/c1');
  });
});
