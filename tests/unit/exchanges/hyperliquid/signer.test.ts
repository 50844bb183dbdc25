/** The local EIP-712 signer agrees with viem (the reference) on addresses, digests and signatures. */
import fc from 'fast-check';
import { hashTypedData as viemHash, keccak256, stringToHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { hashTypedData, keccakText, localAccount, type TypedData } from '@/lib/exchanges/hyperliquid/signer';

const agent = (connectionId: `0x${string}`): TypedData => ({
  domain: { name: 'Exchange', version: '1', chainId: 1337, verifyingContract: '0x0000000000000000000000000000000000000000' },
  types: { Agent: [{ name: 'source', type: 'string' }, { name: 'connectionId', type: 'bytes32' }] },
  primaryType: 'Agent',
  message: { source: 'a', connectionId },
});

const nested: TypedData = {
  domain: { name: 'HyperliquidSignTransaction', version: '1', chainId: 42161, verifyingContract: '0x0000000000000000000000000000000000000000' },
  types: {
    'HyperliquidTransaction:Test': [
      { name: 'hyperliquidChain', type: 'string' },
      { name: 'destination', type: 'address' },
      { name: 'amount', type: 'string' },
      { name: 'time', type: 'uint64' },
      { name: 'flag', type: 'bool' },
      { name: 'delta', type: 'int32' },
      { name: 'inner', type: 'Inner' },
      { name: 'list', type: 'uint8[]' },
    ],
    Inner: [{ name: 'note', type: 'string' }, { name: 'data', type: 'bytes' }],
  },
  primaryType: 'HyperliquidTransaction:Test',
  message: { hyperliquidChain: 'Mainnet', destination: '0x5e9ee1089755c3435139848e47e6635505d5a13a', amount: '12.5', time: 1732000000000n, flag: true, delta: -7, inner: { note: 'hi', data: '0xdeadbeef' }, list: [1, 2, 3] },
};

describe('hyperliquid local signer', () => {
  it('derives the same address as viem', () => {
    const key = generatePrivateKey();
    expect(localAccount(key).address).toBe(privateKeyToAccount(key).address.toLowerCase());
  });

  it('hashes typed data like viem, nested structs, arrays, signed ints and bytes included', () => {
    expect(hashTypedData(nested)).toEqual(Uint8Array.from(Buffer.from(viemHash(nested as never).slice(2), 'hex')));
  });

  it('signs agent actions byte for byte as viem does (deterministic RFC 6979 nonces)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (id) => {
        const key = generatePrivateKey();
        const td = agent(`0x${Buffer.from(id).toString('hex')}`);
        expect(await localAccount(key).signTypedData(td)).toBe(await privateKeyToAccount(key).signTypedData(td as never));
      }),
      { numRuns: 25 },
    );
  });

  it('hashes text like keccak256(stringToHex())', () => {
    expect(keccakText('acct:rf-1')).toBe(keccak256(stringToHex('acct:rf-1')));
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => localAccount('0x1234')).toThrow('an API wallet key is 32 bytes (0x followed by 64 hex digits)');
  });
});
