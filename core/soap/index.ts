// The SOAP form of the VIP Credential Service: the same JSON documents, as SOAP 1.1 envelopes.
export {
  buildErrorResponseEnvelope,
  buildFaultEnvelope,
  buildRequestEnvelope,
  buildResponseEnvelope,
  parseRequestEnvelope,
  parseResponseEnvelope,
  parseXml,
  SoapError,
} from './envelope';
