// SPDX-License-Identifier: Apache-2.0
// One-shot SMP client operations: one request, one parsed answer (echo, reset, MCUmgr
// parameters, OS info, image state read, test, confirm, erase, slot info).
//
// Size: a request larger than the packet limit (limitPackets(): the link's, a user's) is
// refused at start without sending anything. One larger than kRequestBytesAlwaysSent
// (in practice a long echo) first asks the board's MCUmgr parameters and is refused when
// it exceeds the board's buffers; a board that does not report them gets it anyway.
#pragma once

#include "core/smp/client_requester.h"

#include <memory>

namespace otalab::core::smp {

enum class CommandKind { Echo, Reset, Params, OsInfo, ImageState, ImageTest, ImageConfirm, ImageErase, SlotInfo };

// The parsed answer; which member is set depends on the command.
struct CommandResult {
    QCborMap payload;                              // the raw answer (empty for a reset without one)
    std::optional<QString> text;                   // echo reply, OS info output
    std::optional<McumgrParams> params;
    std::optional<ImageStateResponse> imageState;  // state read, test and confirm answer with it
    std::optional<QList<SlotInfo>> slots;
    bool resetWithoutAnswer = false;               // reset: the link dropped before the answer
};

class CommandOperation final : public ClientOperation {
public:
    CommandOperation(CommandKind kind, Request request, RequestPolicy policy = {});

    static std::unique_ptr<CommandOperation> echo(const QString& text, RequestPolicy policy = {});
    // Sent once (a reset is not repeated); a link that drops before the answer counts as done.
    static std::unique_ptr<CommandOperation> reset(bool force = false, RequestPolicy policy = {5000, 0});
    static std::unique_ptr<CommandOperation> params(RequestPolicy policy = {});
    static std::unique_ptr<CommandOperation> osInfo(const QString& format = {}, RequestPolicy policy = {});
    static std::unique_ptr<CommandOperation> imageState(RequestPolicy policy = {});
    static std::unique_ptr<CommandOperation> imageTest(const QByteArray& hash, RequestPolicy policy = {});
    static std::unique_ptr<CommandOperation> imageConfirm(const std::optional<QByteArray>& hash = {},
                                                          RequestPolicy policy = {});
    static std::unique_ptr<CommandOperation> imageErase(std::optional<int> slot = {}, RequestPolicy policy = {});
    static std::unique_ptr<CommandOperation> slotInfo(RequestPolicy policy = {});

    CommandKind kind() const { return m_kind; }
    const CommandResult& result() const { return m_result; }
    // The board's error when it refused the command (failure() holds the sentence).
    const std::optional<DeviceError>& deviceError() const { return m_deviceError; }
    // The request exceeded the link's or the board's packet limit and was not sent
    // (failure() names the limit and what raises it).
    bool requestTooLarge() const { return m_requestTooLarge; }

    void start(std::int64_t nowMs, OperationOutput& out) override;
    void onPacket(std::int64_t nowMs, QByteArrayView packet, OperationOutput& out) override;
    void onTimer(std::int64_t nowMs, OperationOutput& out) override;
    void onLinkDown(std::int64_t nowMs, OperationOutput& out) override;
    void onLinkUp(std::int64_t nowMs, OperationOutput& out) override;
    void cancel(std::int64_t nowMs, OperationOutput& out) override;

private:
    void sendRequest(std::int64_t nowMs, OperationOutput& out);
    bool refuseIfTooLarge(OperationOutput& out);
    void onBoardBuffers(std::int64_t nowMs, const Reply& reply, OperationOutput& out);
    void accept(const Reply& reply, OperationOutput& out);
    std::optional<Error> parse(const QCborMap& payload);
    void done(OperationOutput& out);
    QString name() const;

    CommandKind m_kind;
    Request m_request;
    RequestPolicy m_policy;
    std::uint8_t m_sequence = 0;
    std::optional<std::uint8_t> m_paramsSequence;   // the buffer size question before a large request
    bool m_requestTooLarge = false;
    CommandResult m_result;
    std::optional<DeviceError> m_deviceError;
};

// "image 0 slot 1: 1.2.3 (active, confirmed) hash 3f2a…" lines for logs and the CLI.
QStringList describeImageState(const ImageStateResponse& state);

} // namespace otalab::core::smp
