/**
 * Signed L1 action verification, as the venue does it: hash the action exactly as received (msgpack of the JSON
 * the client sent, then nonce, vault and expiry), wrap it in the EIP-712 "Agent" message (chain id 1337, source
 * 'a' on mainnet, 'b' on testnet) and recover the signer. A wrong hash does not fail by itself: it recovers some
 * other address, which then is nobody's agent; that is how a bad signature shows on the real venue too.
 */
import { createL1ActionHash } from '@nktkas/hyperliquid/signing';
import { recoverTypedDataAddress } from 'viem';
import { z } from 'zod';

export const SignatureSchema = z.object({
  r: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/),
  s: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/),
  v: z.union([z.literal(27), z.literal(28)]),
});

export const ExchangeBodySchema = z.object({
  action: z.looseObject({ type: z.string() }),
  nonce: z.number().int().nonnegative(),
  signature: SignatureSchema,
  vaultAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/).nullable().optional(),
  expiresAfter: z.number().int().nonnegative().nullable().optional(),
});
export type ExchangeBody = z.infer<typeof ExchangeBodySchema>;

const pad32 = (h: string) => `0x${h.slice(2).padStart(64, '0')}` as `0x${string}`;

/**
 * Recovers the signer (lowercase) of an L1 action, or null when the signature is not a valid curve point.
 * `rawAction` is the action object straight from JSON.parse: a schema's output may reorder keys, and the hash
 * depends on key order.
 */
export async function recoverL1Signer(body: ExchangeBody, rawAction: Record<string, unknown>, isTestnet: boolean): Promise<string | null> {
  const hash = createL1ActionHash({
    action: rawAction,
    nonce: body.nonce,
    vaultAddress: (body.vaultAddress ?? undefined) as `0x${string}` | undefined,
    expiresAfter: body.expiresAfter ?? undefined,
  });
  try {
    const addr = await recoverTypedDataAddress({
      domain: { name: 'Exchange', version: '1', chainId: 1337, verifyingContract: '0x0000000000000000000000000000000000000000' },
      types: { Agent: [{ name: 'source', type: 'string' }, { name: 'connectionId', type: 'bytes32' }] },
      primaryType: 'Agent',
      message: { source: isTestnet ? 'b' : 'a', connectionId: hash as `0x${string}` },
      signature: { r: pad32(body.signature.r), s: pad32(body.signature.s), v: BigInt(body.signature.v) },
    });
    return addr.toLowerCase();
  } catch {
    return null;
  }
}
