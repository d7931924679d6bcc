// SPDX-License-Identifier: Apache-2.0
// BenchController: the boards on the Bench.
#include "benchcontroller.h"

namespace otalab::app {

BenchController::BenchController(QObject* parent)
    : BenchController(hw::TransportRegistry::defaultSearchPaths(), parent)
{
}

BenchController::BenchController(QStringList pluginPaths, QObject* parent)
    : QObject(parent), m_registry(std::make_unique<hw::TransportRegistry>(std::move(pluginPaths)))
{
}

BenchController::~BenchController()
{
    // Boards (children) go first: their transports come from the registry's plugins.
    qDeleteAll(m_boards);
    m_boards.clear();
}

Result<BoardController*> BenchController::connectBoard(const QString& spec)
{
    auto parsed = core::transport::ConnectionSpec::parse(spec.trimmed());
    if (!parsed)
        return std::unexpected(parsed.error());
    const QString canonical = parsed->toString();
    if (board(canonical))
        return fail(tr("%1 is already on the Bench").arg(canonical));
    auto transport = m_registry->create(*parsed, nullptr);
    if (!transport)
        return std::unexpected(transport.error());
    auto* board = new BoardController(*transport, canonical, m_boardOptions, this);
    m_boards.append(board);
    Q_EMIT boardAdded(board);
    board->connectBoard();
    return board;
}

void BenchController::removeBoard(BoardController* board)
{
    if (!m_boards.removeOne(board))
        return;
    Q_EMIT boardRemoved(board);
    board->disconnectBoard();
    board->deleteLater();
}

BoardController* BenchController::board(const QString& spec) const
{
    for (BoardController* b : m_boards) {
        if (b->spec() == spec)
            return b;
    }
    return nullptr;
}

int BenchController::uploadFile(const QString& path, const QList<BoardController*>& boards)
{
    int started = 0;
    for (BoardController* b : boards) {
        if (m_boards.contains(b) && b->uploadFile(path))
            ++started;
    }
    return started;
}

} // namespace otalab::app
