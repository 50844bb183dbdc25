/**
 * A local EIP-712 signer for the Hyperliquid API ("agent") wallet: what @nktkas/hyperliquid needs from a wallet
 * (an address and signTypedData), on @noble/curves and @noble/hashes alone. viem's account would do the same but
 * costs about 20 KB gzip in the service worker, which has a size budget (bench: bundle.background).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

type Hex = `0x${string}`;
interface Field {
  name: string;
  type: string;
}
export interface TypedData {
  domain: Record<string, unknown>;
  types: Record<string, readonly Field[]>;
  primaryType: string;
  message: Record<string, unknown>;
}

const enc = new TextEncoder();
const toHex = (b: Uint8Array): Hex => `0x${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
function fromHex(h: string): Uint8Array {
  const s = h.startsWith('0x') ? h.slice(2) : h;
  if (s.length % 2 !== 0 || /[^0-9a-fA-F]/.test(s)) throw new Error('not a hex string');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
};

/** keccak256 of a UTF-8 string, as hex (what viem's keccak256(stringToHex(s)) returns). */
export const keccakText = (s: string): Hex => toHex(keccak_256(enc.encode(s)));

/** A 32-byte big-endian word of an integer (two's complement for negatives). */
function word(v: unknown): Uint8Array {
  let n = typeof v === 'bigint' ? v : BigInt(typeof v === 'boolean' ? Number(v) : (v as number | string));
  if (n < 0n) n = (1n << 256n) + n;
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0 && n > 0n; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

const DOMAIN_FIELDS: Field[] = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
  { name: 'salt', type: 'bytes32' },
];

function encodeType(primary: string, types: Record<string, readonly Field[]>): string {
  const deps = new Set<string>();
  const walk = (t: string) => {
    for (const f of types[t] ?? []) {
      const base = f.type.replace(/\[\d*\]$/, '');
      if (types[base] && !deps.has(base) && base !== primary) {
        deps.add(base);
        walk(base);
      }
    }
  };
  walk(primary);
  return [primary, ...[...deps].sort()].map((t) => `${t}(${(types[t] ?? []).map((f) => `${f.type} ${f.name}`).join(',')})`).join('');
}

function encodeValue(type: string, value: unknown, types: Record<string, readonly Field[]>): Uint8Array {
  const arr = /^(.*)\[\d*\]$/.exec(type);
  if (arr) return keccak_256(concat((value as unknown[]).map((v) => encodeValue(arr[1]!, v, types))));
  if (types[type]) return keccak_256(encodeData(type, value as Record<string, unknown>, types));
  if (type === 'string') return keccak_256(enc.encode(String(value)));
  if (type === 'bytes') return keccak_256(fromHex(String(value)));
  if (type === 'address') return word(BigInt(String(value)));
  if (type === 'bool') return word(value ? 1 : 0);
  if (/^u?int\d*$/.test(type)) return word(value);
  if (/^bytes\d+$/.test(type)) {
    const b = fromHex(String(value));
    const out = new Uint8Array(32);
    out.set(b.slice(0, 32));
    return out;
  }
  throw new Error(`EIP-712: unsupported type ${type}`);
}

function encodeData(primary: string, data: Record<string, unknown>, types: Record<string, readonly Field[]>): Uint8Array {
  const fields = types[primary] ?? [];
  return concat([keccak_256(enc.encode(encodeType(primary, types))), ...fields.map((f) => encodeValue(f.type, data[f.name], types))]);
}

/** The EIP-712 digest: keccak256(0x1901 || domainSeparator || hashStruct(message)). */
export function hashTypedData(td: TypedData): Uint8Array {
  const domainFields = DOMAIN_FIELDS.filter((f) => td.domain[f.name] !== undefined);
  const types = { ...td.types, EIP712Domain: domainFields };
  const domain = keccak_256(encodeData('EIP712Domain', td.domain, types));
  const message = keccak_256(encodeData(td.primaryType, td.message, types));
  return keccak_256(concat([new Uint8Array([0x19, 0x01]), domain, message]));
}

export interface LocalAccount {
  address: Hex;
  signTypedData(params: TypedData): Promise<Hex>;
}

/** A signing account from a private key (0x + 64 hex digits). The key stays in this closure. */
export function localAccount(privateKey: string): LocalAccount {
  const key = fromHex(privateKey);
  if (key.length !== 32) throw new Error('an API wallet key is 32 bytes (0x followed by 64 hex digits)');
  const pub = secp256k1.getPublicKey(key, false);
  const address = toHex(keccak_256(pub.slice(1)).slice(-20));
  return {
    address,
    async signTypedData(params) {
      // 'recovered' is [recovery, r, s]; Ethereum wants r || s || v with v = 27 + recovery.
      const sig = secp256k1.sign(hashTypedData(params), key, { prehash: false, format: 'recovered' });
      return toHex(concat([sig.slice(1, 65), new Uint8Array([27 + sig[0]!])]));
    },
  };
}
