// SPDX-License-Identifier: Apache-2.0
// Block-wise transfer (RFC 7959) for a GET of a large body, both ends, sans-IO:
//  - serveBlock2(): the server cuts a representation into the block a request asks for
//    (§2.4: a request without Block2 gets block 0 at the server's preferred size; a
//    request for a smaller SZX gets that size; a NUM past the end is 4.02 Bad Option;
//    every block response carries Size2 on block 0 and an ETag when given).
//  - BlockwiseGet: the client fetching a whole body block by block (Block2 NUM 0, 1, …)
//    with the CON retransmission of RFC 7252 §4.2 (ACK_TIMEOUT 2 s, ACK_RANDOM_FACTOR 1.5
//    — the random factor comes from the caller's `jitter` in [0,1), MAX_RETRANSMIT 4), the
//    server's SZX adopted when it answers with a smaller one, an ETag change mid-transfer
//    restarting at block 0 (§2.4), and resume from any block (a device that lost power
//    keeps what it wrote and asks for the next block).
// No clock: every input carries nowMs (the host's monotonic ms); the caller arms one timer.
#pragma once

#include "core/common/error.h"
#include "core/ocf/coap_message.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <variant>

namespace otalab::core::ocf {

// RFC 7252 §4.8 transmission parameters (defaults are the RFC's).
struct CoapTransmission {
    std::uint32_t ackTimeoutMs = 2000;
    double ackRandomFactor = 1.5;
    int maxRetransmit = 4;
    // Initial timeout for one CON: ackTimeout × (1 + jitter × (randomFactor − 1)), jitter ∈ [0,1).
    std::uint32_t initialTimeoutMs(double jitter) const;
};

// The block `request` asks for, cut from `body`, as a response payload + options set on
// `response` (Block2, Size2 on block 0, ETag when `etag` is not empty, Content-Format
// `format`). `preferredSzx`: the server's block size when the request names none or a
// larger one. Returns the response code: Content, or BadOption for a block past the end.
std::uint8_t serveBlock2(const CoapMessage& request, QByteArrayView body, CoapMessage& response,
                         std::uint8_t preferredSzx = 6, QByteArrayView etag = {},
                         std::optional<std::uint16_t> format = content_format::OctetStream);

// Client side of a block-wise GET of `uriPath` on one server.
class BlockwiseGet {
public:
    struct Config {
        QString uriPath;                 // "fw/image.bin"
        QStringList uriQueries;          // optional Uri-Query options
        std::uint8_t szx = 6;            // block size asked for: 2^(szx+4)
        CoapTransmission transmission;
        std::uint64_t maxBodyBytes = 16u * 1024 * 1024;   // a Size2 or body larger than this fails
        QByteArray knownEtag;            // resuming: the ETag of the body already stored (another restarts at 0)
        // Where the message id of an ETag restart's request comes from (the caller's counter, so
        // that its next id does not repeat it — a server deduplicating by id would answer the
        // repeat from its cache). Unset: the outstanding id + 1.
        std::function<std::uint16_t()> nextMessageId;
    };
    // What to do next (drive() / onResponse() / onTimeout() return it).
    struct Send {
        CoapMessage message;             // a CON GET with the next Block2 (or a retransmission)
        std::uint32_t timeoutMs = 0;     // arm the one timer: call onTimeout() after it (replaces any)
    };
    struct Block {                       // a block arrived in order: store it
        std::uint64_t offset = 0;
        QByteArray data;
        std::optional<std::uint64_t> totalBytes;   // Size2 when the server sent it
        bool last = false;               // M = 0: the body ends here (finished() is true; no next())
    };
    struct Done {                        // the whole body arrived (every Block was delivered)
        std::uint64_t totalBytes = 0;
    };
    struct Failed {                      // the transfer cannot go on
        QString reason;                  // "no answer after 4 retransmissions", "4.04 Not Found", ...
        bool timedOut = false;           // true: the server never answered (RFC 7252 give-up)
        std::uint8_t code = 0;           // the error response code when there was one
    };
    using Step = std::variant<Send, Block, Done, Failed>;

    explicit BlockwiseGet(Config config);

    // Starts (or, with `fromOffset` > 0, resumes at the block holding that offset, which
    // must be a multiple of the block size) — returns the first Send.
    Send start(std::uint64_t fromOffset, std::uint16_t messageId, QByteArray token, double jitter);
    // A response (matched by the caller on token / message id) — returns Block, then the
    // caller calls next() for the following Send; or Done / Failed. A response that does not
    // match the outstanding request (other token, duplicate message id) returns nullopt.
    // Matching: an ACK or RST by message id (and an ACK's token), a separate CON/NON response
    // by token (the caller ACKs a CON). An empty ACK returns nullopt (the separate response
    // follows; retransmission goes on, the server deduplicates). The last block: Block with
    // `last` (finished() true); Done only when that response carries no data (an empty body,
    // an empty final block). An ETag different from the one of the blocks already received
    // (or Config::knownEtag): receivedBytes() back to 0 and a Send for block 0 with message id
    // Config::nextMessageId() (unset: the outstanding one + 1); the caller erases what it stored.
    std::optional<Step> onResponse(const CoapMessage& response);
    // After the Block of a response with More: the request for the next block.
    Send next(std::uint16_t messageId, double jitter);
    // After any Block: next(messageId, jitter) while more blocks follow, else Done.
    Step advance(std::uint16_t messageId, double jitter);
    // The timer fired: a retransmission (Send, same message id, doubled timeout) or Failed
    // (timedOut after maxRetransmit retransmissions; not timedOut when nothing was outstanding).
    Step onTimeout();

    std::uint64_t receivedBytes() const { return m_received; }
    std::optional<std::uint64_t> totalBytes() const { return m_total; }
    std::uint32_t requestsSent() const { return m_requests; }            // first transmissions only
    std::uint32_t retransmissions() const { return m_retransmissions; }  // datagrams = requests + these
    std::uint32_t restarts() const { return m_restarts; }                // ETag changes seen
    QByteArray etag() const { return m_etag; }                           // of the body being fetched
    std::uint32_t blockSize() const { return 16u << m_szx; }             // the SZX adopted
    bool finished() const { return m_finished; }
    // A request is outstanding: onTimeout() retransmits or gives up. False after a response
    // was taken (Block / Done / Failed): a stale timer's onTimeout() is a Failed to ignore.
    bool waiting() const { return m_waiting; }

private:
    Config m_config;
    CoapMessage m_outstanding;
    std::uint32_t m_timeoutMs = 0;
    int m_attempt = 0;
    std::uint32_t m_nextNum = 0;
    std::uint64_t m_received = 0;
    std::optional<std::uint64_t> m_total;
    QByteArray m_etag;
    std::uint32_t m_requests = 0;
    std::uint32_t m_retransmissions = 0;
    std::uint32_t m_restarts = 0;
    std::uint8_t m_szx = 6;
    bool m_waiting = false;
    bool m_finished = false;
};

} // namespace otalab::core::ocf
