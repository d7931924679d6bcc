// SPDX-License-Identifier: Apache-2.0
// The whole MCUboot upgrade as one sans-IO operation:
//   read state → upload (skipped when the secondary slot already holds the image) →
//   mark (test, or confirm for confirm-only) → reset → wait for the board (the link may
//   drop and come back; over UDP it may not drop at all) → check the new image is active
//   → confirm (test-and-confirm) → done.
// A board that comes back running the old image reverted: reported as a rollback with the
// version it runs. The file must be an MCUboot image (its SHA256 TLV is the hash the board
// lists); anything else is refused before a byte is sent.
#pragma once

#include "core/smp/client_command.h"
#include "core/smp/client_upload.h"

#include <memory>

namespace otalab::core::smp {

enum class UpgradeMode {
    TestOnly,        // the new image runs once; MCUboot reverts at the next reset unless confirmed
    ConfirmOnly,     // permanent at once, without a test boot
    TestAndConfirm,  // test boot, check it is active, then confirm
};
QString upgradeModeName(UpgradeMode mode);   // "test-only", "confirm-only", "test-and-confirm"

// What an upgrade needs from the file before anything is sent: an MCUboot image with a
// 32-byte SHA256 TLV (the hash the board names it by). Returns that parsed image's hash
// and version text ("1.2.3"), or an error saying what to do. Whether the image is valid
// (what MCUboot would boot) is not checked here but by checkImageToSend()
// (image_send_check.h), which the CLI and the Bench run first unless forced: this
// operation sends an invalid image when asked to, e.g. to rehearse a rollback.
struct UpgradeImageFacts {
    QByteArray hash;
    QString version;
};
Result<UpgradeImageFacts> checkUpgradeImage(const QByteArray& file);

struct UpgradeOptions {
    UpgradeMode mode = UpgradeMode::TestAndConfirm;
    UploadOptions upload;                    // image number, packet size, window, upload timeouts
    RequestPolicy commandPolicy;             // state read, test, confirm
    RequestPolicy resetPolicy{5000, 0};
    bool skipUploadIfPresent = true;         // the secondary slot already holds this hash
    // After the reset answer, without a link drop: wait this long before the first echo
    // (Zephyr resets 250 ms after answering; an echo answered earlier proves nothing).
    std::int64_t resetSettleMs = 1500;
    std::int64_t pollIntervalMs = 1000;      // echo timeout and period while waiting for the board
    std::int64_t bootPatienceMs = 60000;     // the board must answer within this after the reset
    std::int64_t linkPatienceMs = 60000;     // a lost link outside the upload must come back within this
};

class UpgradeOperation final : public ClientOperation {
public:
    UpgradeOperation(QByteArray file, UpgradeOptions options = {});

    void start(std::int64_t nowMs, OperationOutput& out) override;
    void onPacket(std::int64_t nowMs, QByteArrayView packet, OperationOutput& out) override;
    void onTimer(std::int64_t nowMs, OperationOutput& out) override;
    void onLinkDown(std::int64_t nowMs, OperationOutput& out) override;
    void onLinkUp(std::int64_t nowMs, OperationOutput& out) override;
    void cancel(std::int64_t nowMs, OperationOutput& out) override;

    struct Report {
        QByteArray imageHash;        // the image's SHA256 TLV
        QString newVersion;          // as the board prints it: "1.2.3" or "1.2.3.4"
        QString previousVersion;     // what was active before
        QString runningVersion;      // what is active at the end (when known)
        bool uploaded = false;       // false when the slot already held the image
        bool confirmed = false;
        bool rolledBack = false;     // the board came back running another image
    };
    const Report& report() const { return m_report; }

private:
    enum class Step { None, ReadState, Upload, Mark, Reset, WaitBoard, Verify, Confirm, Done };

    void runStep(std::int64_t nowMs, Step step, std::unique_ptr<ClientOperation> op, OperationOutput& out);
    void startStep(std::int64_t nowMs, Step step, OperationOutput& out);
    void afterStep(std::int64_t nowMs, OperationOutput& out);
    void stepSucceeded(std::int64_t nowMs, const ClientOperation& op, OperationOutput& out);
    void stepFailed(std::int64_t nowMs, const ClientOperation& op, OperationOutput& out);
    void afterState(std::int64_t nowMs, const ImageStateResponse& state, OperationOutput& out);
    void afterReboot(std::int64_t nowMs, const ImageStateResponse& state, OperationOutput& out);
    void enterWaitBoard(std::int64_t nowMs, bool linkDropped, OperationOutput& out);
    void poll(std::int64_t nowMs, OperationOutput& out);
    void succeed(const QString& message, OperationOutput& out);
    void fail(const QString& message, OperationOutput& out);
    void phase(const QString& name, OperationOutput& out);
    void schedule(OperationOutput& out);
    const ImageSlotState* find(const ImageStateResponse& state, const QByteArray& hash) const;
    const ImageSlotState* active(const ImageStateResponse& state) const;

    QByteArray m_file;
    UpgradeOptions m_options;
    Report m_report;
    Step m_step = Step::None;
    std::unique_ptr<ClientOperation> m_op;   // the running step's operation, if any
    std::optional<std::int64_t> m_stepWake;  // the timer m_op asked for
    bool m_linkUp = true;
    std::optional<std::int64_t> m_pollAtMs;      // WaitBoard: next echo
    std::int64_t m_bootDeadlineMs = 0;           // WaitBoard/Verify: give up after this
    std::int64_t m_resetAtMs = 0;
    std::optional<std::int64_t> m_linkDeadlineMs; // a command step waits for the link
    bool m_sawLinkDrop = false;
};

} // namespace otalab::core::smp
