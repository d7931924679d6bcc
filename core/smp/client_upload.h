// SPDX-License-Identifier: Apache-2.0
// Image upload (image group, command 1) as a sans-IO operation.
//
// Sequence: read the MCUmgr parameters (buf_size, buf_count) → send the first chunk
// alone (off 0 with len, sha, image, upgrade; the board erases and may answer an offset
// it already holds for this sha: resume there) → stream the rest with up to `window`
// chunks in flight → done when the board reports off == len.
//
// The board always answers the offset it expects next. An answer that differs from the
// prediction (a chunk was lost, reordered or duplicated) rewinds sending to that offset;
// chunks in flight that the board will reject are left to drain, not resent. An answer
// of off 0 mid-upload means the board restarted the upload: the first-chunk fields are
// sent again. A link that goes down pauses the upload; when it comes back within
// `linkPatienceMs` the first chunk asks again (same sha) and the upload continues at the
// offset the board answers. The client cannot know that offset beforehand: Zephyr keeps
// the upload state in RAM, so a board that restarted answers as for a new upload (from 0)
// and one that kept running answers what it holds; failure messages say so. Timeouts are
// per chunk (adaptive, from the measured round trip), retries count timeouts without
// progress.
#pragma once

#include "core/smp/client_progress.h"
#include "core/smp/client_requester.h"

namespace otalab::core::smp {

struct UploadOptions {
    int image = 0;                       // image number ("image" field; 0 = omitted)
    bool upgrade = false;                // "upgrade": the board refuses an older version
    // Largest SMP packet (header + CBOR) the transport carries, e.g. 65535 for UDP, the
    // reassembly limit for BLE; the board's buf_size caps it further.
    int maxPacketBytes = 2048;
    // Chunks in flight: nullopt = the board's buf_count - 1 (at least 1; 1 when the board
    // does not report parameters); 1 = stop-and-wait.
    std::optional<int> window;
    // Skip the parameters request (tests, or values already known).
    std::optional<McumgrParams> knownParams;

    // Defaults follow mcumgr-client: 60 s for the first chunk (the board may erase the
    // whole slot first), 200 ms floor for later chunks, 4 retries.
    int firstChunkTimeoutMs = 60000;
    int chunkTimeoutMs = 2000;           // later chunks until round trips were measured (× chunks ahead + 1)
    int minChunkTimeoutMs = 200;         // floor of the adaptive timeout
    int retries = 4;                     // timeouts in a row without progress before giving up
    int maxRestarts = 3;                 // board answers of off 0 mid-upload before giving up
    RequestPolicy paramsPolicy;          // for the parameters request
    std::int64_t linkPatienceMs = 60000; // how long to wait for a lost link to come back
};

class UploadOperation final : public ClientOperation {
public:
    UploadOperation(QByteArray image, UploadOptions options = {});

    void start(std::int64_t nowMs, OperationOutput& out) override;
    void onPacket(std::int64_t nowMs, QByteArrayView packet, OperationOutput& out) override;
    void onTimer(std::int64_t nowMs, OperationOutput& out) override;
    void onLinkDown(std::int64_t nowMs, OperationOutput& out) override;
    void onLinkUp(std::int64_t nowMs, OperationOutput& out) override;
    void cancel(std::int64_t nowMs, OperationOutput& out) override;

    qint64 acknowledged() const { return m_acked; }   // bytes the board reported holding
    int window() const { return m_window; }
    int maxPacketBytes() const { return m_packetLimit; } // effective limit after parameters
    const QByteArray& sha() const { return m_sha; }     // SHA-256 of the whole file
    // Figures for logs and benchmarks.
    struct Stats {
        int chunksSent = 0;
        int chunksResent = 0;      // chunks sent again after a rewind or timeout
        int timeouts = 0;
        int rewinds = 0;           // board answers that differed from the prediction
        int restarts = 0;          // board answers of off 0 mid-upload
        int resumes = 0;           // first chunk answered with an offset beyond it
    };
    const Stats& stats() const { return m_stats; }

private:
    enum class Phase { Idle, Params, First, Stream, Paused, Done };
    struct InFlight {
        std::uint8_t sequence = 0;
        qint64 offset = 0;
        qint64 length = 0;
        qint64 predictedAfter = 0;   // the board's offset after processing this chunk
        bool doomed = false;         // the board will reject it (sent past a gap)
        bool first = false;
        int ahead = 0;               // chunks in flight before it when it was sent
    };

    void sendParams(std::int64_t nowMs, OperationOutput& out);
    void applyParams(const std::optional<McumgrParams>& params, OperationOutput& out);
    void sendFirst(std::int64_t nowMs, OperationOutput& out);
    void fillWindow(std::int64_t nowMs, OperationOutput& out);
    void sendChunk(std::int64_t nowMs, qint64 offset, OperationOutput& out);
    void onUploadReply(std::int64_t nowMs, const Reply& reply, OperationOutput& out);
    void replan(qint64 boardOffset, int fromIndex);
    void onChunkTimeout(std::int64_t nowMs, const Expired& expired, OperationOutput& out);
    void sampleRtt(std::int64_t rttMs, int ahead);
    int chunkTimeoutMs(int ahead) const;
    void reportProgress(std::int64_t nowMs, OperationOutput& out);
    void fail(const QString& message, OperationOutput& out);
    void schedule(OperationOutput& out);
    void dropInFlight();
    int indexOfSequence(std::uint8_t sequence) const;

    QByteArray m_image;
    UploadOptions m_options;
    QByteArray m_sha;
    Phase m_phase = Phase::Idle;
    Phase m_pausedPhase = Phase::Idle;
    std::int64_t m_pausedUntilMs = 0;
    std::int64_t m_startMs = 0;
    int m_packetLimit = 0;
    int m_window = 1;
    qint64 m_acked = 0;           // last offset the board reported
    qint64 m_nextOffset = 0;      // next byte to send
    qint64 m_highestSent = 0;     // end of the furthest chunk ever sent (resend accounting)
    int m_timeoutsInARow = 0;
    int m_implausibleAnswers = 0; // undecodable answers or offsets beyond the image: 2 ignored
    std::optional<std::uint8_t> m_paramsSequence;
    QList<InFlight> m_inFlight;   // in sending order
    // Round trips, in ms. A chunk sent behind `ahead` others waits for them on the link
    // and in the board, so its timeout is minRtt + (ahead + 1) × (per-chunk estimate):
    // the per-chunk figure is smoothed (Jacobson/Karels) over rtt / (ahead + 1).
    double m_srtt = 0;            // 0 = not measured yet
    double m_rttvar = 0;
    double m_minRtt = 0;
    int m_backoff = 1;            // doubles on every timeout, back to 1 on a fresh sample
    ProgressEstimator m_progress;
    Stats m_stats;
};

} // namespace otalab::core::smp
