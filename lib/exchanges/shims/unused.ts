/**
 * Stand-in for ccxt code that binanceusdm never runs (Starknet, zkLink, dYdX protobufs): ccxt's base class imports
 * them for other exchanges. Anything that does reach here is a bug, so it says which module was left out.
 */
const missing = (name: string) => () => {
  throw new Error(`${name} is not bundled in Ringfence (binanceusdm does not use it)`);
};
export default missing('zklink init');
export const getStarkKey = missing('@scure/starknet getStarkKey');
export const ethSigToPrivate = missing('@scure/starknet ethSigToPrivate');
export const sign = missing('@scure/starknet sign');
export const pedersen = missing('@scure/starknet pedersen');
export const keccak = missing('@scure/starknet keccak');
export const poseidonHashMany = missing('@scure/starknet poseidonHashMany');
export class Long {
  constructor() {
    missing('dYdX Long')();
  }
}

/** Elliptic curves ccxt imports for other exchanges' signatures (Binance HMAC keys need none of them). */
const curve = (name: string) =>
  new Proxy(
    {},
    {
      get: (_t, prop) => {
        if (prop === Symbol.toStringTag || prop === 'then') return undefined;
        return missing(`@noble/curves ${name}.${String(prop)}`);
      },
    },
  );
export const secp256k1 = curve('secp256k1');
export const ed25519 = curve('ed25519');
export const p256 = curve('p256');

/** fflate: ccxt inflates compressed websocket frames with it; Binance futures streams are not compressed. */
export const gunzipSync = missing('fflate gunzipSync');
export const inflateSync = missing('fflate inflateSync');
export const abiEncode = missing('ethabi abiEncode');
export const TypedDataEncoder = { encode: missing('ethabi TypedDataEncoder') };
export const serialize = missing('msgpack serialize');
