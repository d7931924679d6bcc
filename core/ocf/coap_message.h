// SPDX-License-Identifier: Apache-2.0
// CoAP messages (RFC 7252 §3) with the block-wise options (RFC 7959 §2.2) and Observe
// (RFC 7641 §2): one datagram ⇄ one CoapMessage. Pure codec: no sockets, no clocks.
//
// Wire shape (RFC 7252 §3): | Ver=1 (2 bits) | T (2) | TKL (4) | Code (8) | Message ID (16, big
// endian) | Token (TKL bytes, 0..8) | Options (delta-encoded, ascending numbers) | 0xFF Payload |.
// Option header: delta and length nibbles 0..12 inline, 13 → one extra byte (value − 13),
// 14 → two extra bytes big endian (value − 269), 15 reserved (an error, except the 0xFF
// payload marker). A payload marker followed by nothing is a format error (§3).
//
// Errors from decode() are precise: the byte offset and the field ("header.version",
// "options[2].delta", "token", "payload marker") and what was expected. What RFC 7252 says
// to do with such a message (reject / RST) is the endpoint's business, not the codec's.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::core::ocf {

enum class CoapType : std::uint8_t { Confirmable = 0, NonConfirmable = 1, Acknowledgement = 2, Reset = 3 };
QString coapTypeName(CoapType type);   // "CON", "NON", "ACK", "RST"

// Codes: class << 5 | detail ("2.05" = 0x45). RFC 7252 §12.1, RFC 7959 §2.9 (2.31, 4.08, 4.13).
namespace coap_code {
inline constexpr std::uint8_t Empty = 0x00;
inline constexpr std::uint8_t Get = 0x01, Post = 0x02, Put = 0x03, Delete = 0x04;
inline constexpr std::uint8_t Created = 0x41, Deleted = 0x42, Valid = 0x43, Changed = 0x44, Content = 0x45,
                              Continue = 0x5f;
inline constexpr std::uint8_t BadRequest = 0x80, Unauthorized = 0x81, BadOption = 0x82, Forbidden = 0x83,
                              NotFound = 0x84, MethodNotAllowed = 0x85, NotAcceptable = 0x86,
                              RequestEntityIncomplete = 0x88, PreconditionFailed = 0x8c,
                              RequestEntityTooLarge = 0x8d, UnsupportedContentFormat = 0x8f;
inline constexpr std::uint8_t InternalServerError = 0xa0, NotImplemented = 0xa1, BadGateway = 0xa2,
                              ServiceUnavailable = 0xa3, GatewayTimeout = 0xa4;
constexpr std::uint8_t make(int cls, int detail) { return std::uint8_t((cls << 5) | detail); }
constexpr int codeClass(std::uint8_t code) { return code >> 5; }
constexpr int codeDetail(std::uint8_t code) { return code & 0x1f; }
constexpr bool isRequest(std::uint8_t code) { return code >= 1 && code <= 31; }
constexpr bool isResponse(std::uint8_t code) { return code >= 0x40; }
} // namespace coap_code
QString coapCodeText(std::uint8_t code);   // "2.05 Content", "4.04 Not Found", "0.01 GET", "7.31"

// Option numbers (RFC 7252 §12.2, RFC 7641, RFC 7959, OCF Core 1.0+ §12.2.5).
namespace coap_option {
inline constexpr std::uint16_t IfMatch = 1, UriHost = 3, ETag = 4, IfNoneMatch = 5, Observe = 6, UriPort = 7,
                               LocationPath = 8, UriPath = 11, ContentFormat = 12, MaxAge = 14, UriQuery = 15,
                               Accept = 17, LocationQuery = 20, Block2 = 23, Block1 = 27, Size2 = 28,
                               ProxyUri = 35, ProxyScheme = 39, Size1 = 60;
inline constexpr std::uint16_t OcfAcceptContentFormatVersion = 2049, OcfContentFormatVersion = 2053;
} // namespace coap_option

// Content-Format numbers (RFC 7252 §12.3, OCF's application/vnd.ocf+cbor).
namespace content_format {
inline constexpr std::uint16_t TextPlain = 0, LinkFormat = 40, OctetStream = 42, Json = 50, Cbor = 60,
                               VndOcfCbor = 10000;
} // namespace content_format

struct CoapOption {
    std::uint16_t number = 0;
    QByteArray value;
    friend bool operator==(const CoapOption&, const CoapOption&) = default;
};

// Block1 / Block2 option value (RFC 7959 §2.2): NUM (4..20 bits) | M (1 bit) | SZX (3 bits);
// block size = 2^(SZX + 4) = 16 .. 1024 bytes. SZX 7 is reserved (an error).
struct BlockOption {
    std::uint32_t num = 0;     // block number, < 2^20
    bool more = false;         // M: more blocks follow (in a response to GET: the body goes on)
    std::uint8_t szx = 6;      // 0..6

    std::uint32_t size() const { return 16u << szx; }
    std::uint64_t offset() const { return std::uint64_t(num) * size(); }
    std::uint32_t value() const { return (num << 4) | (more ? 8u : 0u) | szx; }
    // SZX for a block size (16, 32, … 1024); an error for anything else.
    static Result<std::uint8_t> szxForSize(std::uint32_t size);
    // An error for SZX 7 or NUM ≥ 2^20.
    static Result<BlockOption> fromValue(std::uint32_t value);
    friend bool operator==(const BlockOption&, const BlockOption&) = default;
};

struct CoapMessage {
    CoapType type = CoapType::Confirmable;
    std::uint8_t code = coap_code::Empty;
    std::uint16_t messageId = 0;
    QByteArray token;                  // 0..8 bytes
    std::vector<CoapOption> options;   // kept in ascending number order (stable for repeats)
    QByteArray payload;

    // --- options ------------------------------------------------------------------
    std::vector<QByteArray> optionValues(std::uint16_t number) const;   // every occurrence, in order
    const CoapOption* option(std::uint16_t number) const;               // the first, or null
    bool hasOption(std::uint16_t number) const { return option(number) != nullptr; }
    void removeOption(std::uint16_t number);
    void addOption(std::uint16_t number, QByteArray value);              // keeps the order
    // uint options (RFC 7252 §3.2): big endian, shortest form (0 is the empty value).
    std::optional<std::uint32_t> uintOption(std::uint16_t number) const;
    void setUintOption(std::uint16_t number, std::uint32_t value);       // replaces

    // Uri-Path segments joined with '/', no leading slash: "oc/swu". setUriPath splits a
    // path ("/oc/swu" or "oc/swu") into Uri-Path options (replacing any).
    QString uriPath() const;
    void setUriPath(QStringView path);
    QStringList uriQueries() const;                  // "rt=oic.r.softwareupdate", ...
    void addUriQuery(QStringView query);

    std::optional<std::uint16_t> contentFormat() const;
    void setContentFormat(std::uint16_t format) { setUintOption(coap_option::ContentFormat, format); }
    std::optional<std::uint32_t> observe() const { return uintOption(coap_option::Observe); }   // 24-bit
    void setObserve(std::uint32_t value) { setUintOption(coap_option::Observe, value & 0xffffff); }
    // Block options decoded; an error when present but malformed (SZX 7, value > 3 bytes).
    std::optional<Result<BlockOption>> block1() const;
    std::optional<Result<BlockOption>> block2() const;
    void setBlock1(const BlockOption& block) { setUintOption(coap_option::Block1, block.value()); }
    void setBlock2(const BlockOption& block) { setUintOption(coap_option::Block2, block.value()); }

    bool isRequest() const { return coap_code::isRequest(code); }
    bool isResponse() const { return coap_code::isResponse(code); }
    bool isEmpty() const { return code == coap_code::Empty; }
    // One line for logs: "CON GET mid=0x1234 tok=0a0b /oc/swu Observe:0 Block2:3/1/1024 (12 B)".
    QString summary() const;

    friend bool operator==(const CoapMessage&, const CoapMessage&) = default;
};

// RFC 7252 §3. Options are written in ascending number order whatever their order in
// `message.options`. Precondition (checked, an error otherwise): token ≤ 8 bytes, option
// values ≤ 65,804 bytes.
Result<QByteArray> encode(const CoapMessage& message);
// Bytes an encode() would produce, without encoding (a simulator costs airtime with it).
std::size_t encodedSize(const CoapMessage& message);
// RFC 7252 §3: version 1, TKL ≤ 8, option deltas/lengths (13/14 extensions, 15 reserved),
// an empty message (code 0.00) with no token, options or payload, a payload marker followed
// by a payload. Every violation is an Error with offset and field.
Result<CoapMessage> decode(QByteArrayView datagram);

// Convenience constructors (message id and token are the caller's).
CoapMessage makeRequest(CoapType type, std::uint8_t method, std::uint16_t messageId, QByteArray token,
                        QStringView uriPath);
// A piggybacked response to `request` (ACK for CON, NON for NON), same token.
CoapMessage makeResponse(const CoapMessage& request, std::uint8_t code, std::uint16_t messageId);
CoapMessage makeEmptyAck(std::uint16_t messageId);
CoapMessage makeReset(std::uint16_t messageId);

} // namespace otalab::core::ocf
