// Minimal types for the CommonJS package tls-sig-api-v2@1.0.2 (it ships none), covering what the
// signer cross-check tests call. Source: node_modules/tls-sig-api-v2/TLSSigAPIv2.js.
declare module 'tls-sig-api-v2' {
  export class Api {
    constructor(sdkappid: number, key: string);
    genUserSig(userid: string, expire: number): string;
    genSig(userid: string, expire: number, userBuf?: Buffer | null): string;
    _hmacsha256(identifier: string, currTime: number, expire: number, base64UserBuf: string | null): string;
  }
}
