// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/powercut_campaign.h"

#include "core/mcuboot/powercut_checks.h"

#include <algorithm>
#include <set>

namespace otalab::core::mcuboot {
namespace {

QString cutList(const std::vector<int>& cuts)
{
    QStringList parts;
    for (int c : cuts)
        parts << QString::number(c);
    return parts.join(QStringLiteral(", "));
}

// One swap type: the prepared board, what its boot must leave, the runs over it.
class SwapCampaign {
public:
    SwapCampaign(const PowerCutConfig& config, const PowerCutSetup& setup, PowerCutSwap swap, BootLoader base)
        : m_config(config), m_setup(setup), m_base(std::move(base)),
          m_outcome(powerCutOutcome(setup.boot.strategy, swap)),
          m_revertOutcome(powerCutOutcome(setup.boot.strategy, PowerCutSwap::Revert)),
          m_confirmedOutcome(powerCutOutcome(setup.boot.strategy, PowerCutSwap::Perm))
    {
        m_result.swap = swap;
    }

    // Successive boots cut at cuts[0], cuts[1], ... (a boot that completes before its cut
    // ends the sequence: nothing is left to interrupt), then the checks.
    std::optional<QString> runCuts(const std::vector<int>& cuts)
    {
        BootLoader board = m_base;
        std::optional<BootResult> completed;
        for (int cut : cuts) {
            BootResult r = bootWithCut(board, std::max(1, cut));
            if (!r.powerLost) {
                completed = std::move(r);
                break;
            }
        }
        const BootResult boot = completed ? *completed : recover(board);
        return judge(board, boot, cuts.empty() ? 0 : cuts.back());
    }

    PowerCutSwapResult run()
    {
        uninterrupted();
        singleCuts();
        doubleCuts();
        randomRuns();
        return std::move(m_result);
    }

private:
    // Power is lost AT operation `cut` (1-based) of this boot; an armed cut that did
    // not fire is disarmed so it cannot hit a later boot.
    BootResult bootWithCut(BootLoader& board, int cut)
    {
        board.flash().cutPowerAfterOperations(cut - 1);
        BootResult r = board.reboot();
        board.flash().cutPowerAfterOperations(-1);
        if (r.powerLost && m_config.sabotage == PowerCutSabotage::LoseSwapStatus)
            losePowerCutSwapStatus(board.flash());
        return r;
    }

    // MCUboot's sim: boot again (no cut armed) until a boot completes, bounded.
    BootResult recover(BootLoader& board)
    {
        BootResult r;
        for (int i = 0; i < std::max(1, m_config.maxRecoveryBoots); ++i) {
            r = board.reboot();
            if (!r.powerLost)
                break;
        }
        return r;
    }

    static int operationsOfNextBoot(BootLoader board)
    {
        const qint64 before = powerCutFlashOperations(board.flash());
        board.reboot();
        return int(powerCutFlashOperations(board.flash()) - before);
    }

    // The next boot changes nothing: same image, same trailers, no flash operation.
    std::optional<QString> checkStable(BootLoader& board, const PowerCutOutcome& outcome)
    {
        const qint64 before = powerCutFlashOperations(board.flash());
        const BootResult r = board.reboot();
        if (auto wrong = checkPowerCutOutcome(board, r, m_setup.images, outcome))
            return QStringLiteral("the boot after: %1").arg(*wrong);
        if (const qint64 ops = powerCutFlashOperations(board.flash()) - before; ops != 0)
            return QStringLiteral("the boot after wrote to flash again (%1 operations): not stable").arg(ops);
        return std::nullopt;
    }

    // On a copy: the application confirms the test image (img_mgmt / boot_set_confirmed)
    // and it stays, like a permanent upgrade (MCUboot sim's run_norevert).
    std::optional<QString> checkConfirmKeeps(const BootLoader& tested)
    {
        BootLoader board = tested;
        const bool directXip = m_setup.boot.strategy == BootStrategy::DirectXipWithRevert;
        const BootRc rc = directXip ? setNext(board.flash(), kSecondarySlot, true, true) : setConfirmed(board.flash());
        if (rc != BootRc::Ok)
            return QStringLiteral("confirming the test image failed (rc %1)").arg(int(rc));
        if (auto wrong = checkStable(board, m_confirmedOutcome))
            return QStringLiteral("after confirming: %1").arg(*wrong);
        return std::nullopt;
    }

    // A completed boot under test: its outcome, then the next boot — stable, or (after an
    // unconfirmed test boot) confirming keeps it, and without the confirmation the next
    // boot reverts, itself cut at `followUpCut` (0: not cut).
    std::optional<QString> judge(BootLoader& board, const BootResult& boot, int followUpCut)
    {
        if (auto wrong = checkPowerCutOutcome(board, boot, m_setup.images, m_outcome))
            return wrong;
        if (!m_outcome.nextBoot)
            return checkStable(board, m_outcome);
        if (auto wrong = checkConfirmKeeps(board))
            return wrong;
        const int revertOps = operationsOfNextBoot(board);
        if (revertOps == 0)
            return QStringLiteral("the boot after the unconfirmed test boot wrote nothing: no revert");
        QString where = QStringLiteral("uninterrupted revert");
        if (followUpCut > 0) {
            const int cut = (followUpCut - 1) % revertOps + 1;
            where = QStringLiteral("revert cut at op %1 of %2").arg(cut).arg(revertOps);
            if (!bootWithCut(board, cut).powerLost)
                return QStringLiteral("%1: the cut did not interrupt the revert").arg(where);
        }
        const BootResult reverted = recover(board);
        if (auto wrong = checkPowerCutOutcome(board, reverted, m_setup.images, m_revertOutcome))
            return QStringLiteral("%1: %2").arg(where, *wrong);
        if (auto wrong = checkStable(board, m_revertOutcome))
            return QStringLiteral("%1: %2").arg(where, *wrong);
        return std::nullopt;
    }

    void record(const QString& phase, std::vector<int> cuts, const QString& what)
    {
        ++m_result.failureCount;
        if (int(m_result.failures.size()) < m_config.failuresKept)
            m_result.failures.push_back({m_result.swap, phase, std::move(cuts), what});
    }

    void progress(const QString& phase, int done, int total)
    {
        if (!m_config.progress || total <= 0)
            return;
        const int step = std::max(1, total / 20);
        if (done == total || done % step == 0)
            m_config.progress({m_result.swap, phase, done, total});
    }

    PowerCutRandom randomFor(std::uint64_t phase, int run) const
    {
        PowerCutRandom mix(m_config.seed ^ (std::uint64_t(m_result.swap) << 56) ^ (phase << 48) ^ std::uint64_t(run));
        return PowerCutRandom(mix.next());
    }

    void uninterrupted()
    {
        BootLoader board = m_base;
        const qint64 before = powerCutFlashOperations(board.flash());
        const BootResult r = board.reboot();
        m_result.flashOps = int(powerCutFlashOperations(board.flash()) - before);
        if (m_outcome.nextBoot) {
            BootLoader after = board;
            m_result.followUpOps = operationsOfNextBoot(after);
        }
        if (auto wrong = judge(board, r, 0))
            record(QStringLiteral("uninterrupted"), {}, *wrong);
    }

    void singleCuts()
    {
        const int n = m_result.flashOps;
        for (int k = 1; k <= n; ++k) {
            ++m_result.cutsTried;
            BootLoader board = m_base;
            std::optional<QString> wrong;
            if (!bootWithCut(board, k).powerLost)
                wrong = QStringLiteral("the cut did not interrupt the boot");
            else
                wrong = judge(board, recover(board), k);
            if (wrong)
                record(QStringLiteral("single"), {k}, *wrong);
            else
                ++m_result.cutsRecovered;
            progress(QStringLiteral("single"), k, n);
        }
    }

    void doubleCuts()
    {
        const int n = m_result.flashOps;
        const int pairs = n > 0 ? m_config.doubleCuts : 0;
        std::set<std::pair<int, int>> tried;   // a small N repeats pairs: each is run once
        for (int i = 0; i < pairs; ++i) {
            const int k = 1 + int(qint64(i) * n / pairs);
            BootLoader board = m_base;
            bootWithCut(board, k);
            const int resumeOps = operationsOfNextBoot(board);
            progress(QStringLiteral("double"), i + 1, pairs);
            if (resumeOps == 0)
                continue;   // the resume writes nothing: no second cut possible here
            PowerCutRandom random = randomFor(1, i);
            const int j = 1 + random.below(resumeOps);
            if (!tried.insert({k, j}).second)
                continue;
            ++m_result.doubleTried;
            std::optional<QString> wrong;
            if (!bootWithCut(board, j).powerLost)
                wrong = QStringLiteral("the second cut did not interrupt the resume (%1 operations)").arg(resumeOps);
            else
                wrong = judge(board, recover(board), j);
            if (wrong)
                record(QStringLiteral("double"), {k, j}, *wrong);
            else
                ++m_result.doubleRecovered;
        }
    }

    // run_perm_with_random_fails(): each cut in 1..remaining/2 of the operations left.
    void randomRuns()
    {
        const int runs = m_result.flashOps >= 2 ? m_config.randomRuns : 0;   // a cut needs 1..N/2
        for (int run = 0; run < runs; ++run) {
            ++m_result.randomTried;
            PowerCutRandom random = randomFor(2, run);
            std::vector<int> cuts;
            for (int remaining = m_result.flashOps; int(cuts.size()) < m_config.cutsPerRandomRun && remaining / 2 >= 1;) {
                cuts.push_back(1 + random.below(remaining / 2));
                remaining -= cuts.back();
            }
            if (auto wrong = runCuts(cuts))
                record(QStringLiteral("random"), cuts, *wrong);
            else
                ++m_result.randomRecovered;
            progress(QStringLiteral("random"), run + 1, runs);
        }
    }

    const PowerCutConfig& m_config;
    const PowerCutSetup& m_setup;
    const BootLoader m_base;
    const PowerCutOutcome m_outcome;
    const PowerCutOutcome m_revertOutcome;
    const PowerCutOutcome m_confirmedOutcome;
    PowerCutSwapResult m_result;
};

} // namespace

QString PowerCutFailure::toString() const
{
    QString cutText;
    if (phase == QStringLiteral("single"))
        cutText = QStringLiteral("power cut at flash op %1").arg(cuts.empty() ? 0 : cuts.front());
    else if (phase == QStringLiteral("double") && cuts.size() == 2)
        cutText = QStringLiteral("power cut at flash op %1, then at op %2 of the resume").arg(cuts[0]).arg(cuts[1]);
    else if (phase == QStringLiteral("random"))
        cutText = QStringLiteral("random power cuts at ops %1 of successive boots").arg(cutList(cuts));
    else
        cutText = phase;
    return QStringLiteral("%1: %2: %3").arg(powerCutSwapName(swap), cutText, what);
}

bool PowerCutResult::ok() const { return failureCount() == 0; }

int PowerCutResult::failureCount() const
{
    int n = 0;
    for (const PowerCutSwapResult& s : swaps)
        n += s.failureCount;
    return n;
}

Result<PowerCutSetup> powerCutSetup(const PowerCutConfig& config)
{
    PowerCutSetup setup;
    const std::vector<PowerCutSwap> possible = powerCutSwapsFor(config.strategy);
    if (possible.empty())
        return fail(QStringLiteral("%1 never writes to flash: there is nothing to cut").arg(bootStrategyName(config.strategy)));
    setup.swaps = config.swaps.empty() ? possible : config.swaps;
    for (PowerCutSwap s : setup.swaps)
        if (std::find(possible.begin(), possible.end(), s) == possible.end())
            return fail(QStringLiteral("%1 has no %2 swap").arg(bootStrategyName(config.strategy), powerCutSwapName(s)));
    crypto::PKey key = config.signingKey;
    if (key.isNull()) {
        auto derived = powerCutKeyFromSeed(config.seed);
        if (!derived)
            return fail(QStringLiteral("signing key: %1").arg(derived.error().toString()));
        key = *derived;
    }
    auto images = makePowerCutImages(config.oldBodyBytes, config.newBodyBytes, key, config.seed);
    if (!images)
        return fail(images.error());
    setup.images = *images;
    const qint64 largest = std::max(images->oldImage.size(), images->newImage.size());
    setup.geometry = config.geometry ? *config.geometry
                                     : powerCutGeometryFor(largest, config.sectorSize, config.writeAlign, config.primaryLarger);
    if (auto layout = setup.geometry.check(); !layout)
        return fail(QStringLiteral("flash layout: %1").arg(layout.error().toString()));
    setup.boot.strategy = config.strategy;
    if (config.trustSigningKey)
        setup.boot.keys = {key};
    return setup;
}

Result<PowerCutSwapResult> runPowerCutSwap(const PowerCutConfig& config, const PowerCutSetup& setup, PowerCutSwap swap)
{
    auto board = preparePowerCutBoard(setup.geometry, setup.boot, setup.images, swap);
    if (!board)
        return fail(QStringLiteral("%1: %2").arg(powerCutSwapName(swap), board.error().toString()));
    return SwapCampaign(config, setup, swap, std::move(*board)).run();
}

Result<std::optional<QString>> runPowerCutSequence(const PowerCutConfig& config, const PowerCutSetup& setup,
                                                   PowerCutSwap swap, const std::vector<int>& cuts)
{
    auto board = preparePowerCutBoard(setup.geometry, setup.boot, setup.images, swap);
    if (!board)
        return fail(QStringLiteral("%1: %2").arg(powerCutSwapName(swap), board.error().toString()));
    return SwapCampaign(config, setup, swap, std::move(*board)).runCuts(cuts);
}

Result<PowerCutResult> runPowerCutCampaign(const PowerCutConfig& config)
{
    auto setup = powerCutSetup(config);
    if (!setup)
        return fail(setup.error());
    PowerCutResult result;
    result.strategy = config.strategy;
    result.geometry = setup->geometry;
    result.oldImageBytes = setup->images.oldImage.size();
    result.newImageBytes = setup->images.newImage.size();
    for (PowerCutSwap swap : setup->swaps) {
        auto one = runPowerCutSwap(config, *setup, swap);
        if (!one)
            return fail(one.error());
        result.swaps.push_back(std::move(*one));
    }
    return result;
}

} // namespace otalab::core::mcuboot
