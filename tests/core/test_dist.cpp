// Data-parallel training over c10d with two ranks in this process (one thread each, Gloo
// on loopback): the ranks start from rank 0's weights and stay bit-identical, the
// gradient each applies is the mean of what the ranks computed alone, two ranks of 16 go
// where one process of 32 goes (BatchNorm synchronised in the trainer's case), the global
// batch is shared out without overlap, and a
// mismatched configuration, a silent rank and bad environment variables are named.
#include "DemoData.h"
#include "Trainer.h"
#include "dist/Communicator.h"
#include "dist/DistEnv.h"
#include "dist/FreePort.h"
#include "dist/GradientSync.h"
#include "dist/SyncBatchNorm.h"

#include <QtTest>
#include <torch/torch.h>

#include <atomic>
#include <functional>
#include <map>
#include <thread>

using namespace pretext;

namespace {
// QTest's checks are not for other threads: a rank's thread throws instead.
void require(bool condition, const char* what) {
    if (!condition) {
        throw std::runtime_error(what);
    }
}

DistSettings rankSettings(int rank, int port, int timeoutS = 30) {
    DistSettings s;
    s.rank = rank;
    s.worldSize = 2;
    s.localRank = rank;
    s.localWorldSize = 2;
    s.masterPort = port;
    s.timeoutS = timeoutS;
    s.backend = "gloo";
    return s;
}

// Runs body(rank, communicator) for ranks 0 and 1 in two threads; what each threw.
std::array<std::string, 2> onTwoRanks(const std::function<void(int, Communicator&)>& body,
                                      int timeoutS = 30) {
    const int port = freeLoopbackPort();
    std::array<std::string, 2> errors;
    auto rank = [&](int r) {
        try {
            auto comm = Communicator::join(rankSettings(r, port, timeoutS), torch::kCPU);
            body(r, *comm);
        } catch (const std::exception& e) {
            errors[static_cast<size_t>(r)] = e.what();
        }
    };
    std::thread a(rank, 0), b(rank, 1);
    a.join();
    b.join();
    return errors;
}

// A small model without BatchNorm: with it, two ranks of 16 and one process of 32 are
// the same computation.
struct TinyNetImpl : torch::nn::Module {
    TinyNetImpl() {
        conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 4, 3)));
        fc = register_module("fc", torch::nn::Linear(4 * 6 * 6, 3));
    }
    torch::Tensor forward(const torch::Tensor& x) { return fc(torch::relu(conv(x)).flatten(1)); }
    torch::nn::Conv2d conv{nullptr};
    torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(TinyNet);

std::vector<torch::Tensor> snapshot(torch::nn::Module& m) {
    std::vector<torch::Tensor> out;
    for (const auto& p : m.parameters()) {
        out.push_back(p.detach().clone());
    }
    return out;
}

std::vector<torch::Tensor> gradients(torch::nn::Module& m) {
    std::vector<torch::Tensor> out;
    for (const auto& p : m.parameters()) {
        out.push_back(p.grad().detach().clone());
    }
    return out;
}

TrainConfig rotationConfig(int64_t batch) {
    TrainConfig cfg;
    cfg.task = "rotation";
    cfg.batchSize = batch;
    cfg.device = "cpu";
    cfg.convRoute = "libtorch";
    cfg.seed = 3;
    return cfg;
}
} // namespace

class TestDist : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Different seeds on purpose: rank 1's own initialisation is replaced by rank 0's, and
    // after a step both hold exactly the same parameters.
    void ranksHoldIdenticalParameters() {
        const torch::Tensor images = makeDemoImages(48, 32, 1);
        std::array<std::vector<torch::Tensor>, 2> before, after;
        const auto errors = onTwoRanks([&](int rank, Communicator& comm) {
            TrainConfig cfg = rotationConfig(8);
            cfg.seed = 3 + static_cast<uint64_t>(rank);
            Trainer trainer(cfg, images);
            auto shared = std::shared_ptr<Communicator>(&comm, [](Communicator*) {});
            trainer.joinGroup(shared);
            before[static_cast<size_t>(rank)] = snapshot(trainer.model());
            trainer.step();
            after[static_cast<size_t>(rank)] = snapshot(trainer.model());
        });
        QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + errors[1]).c_str());
        QVERIFY(!after[0].empty());
        for (size_t i = 0; i < after[0].size(); ++i) {
            QVERIFY(torch::equal(before[0][i], before[1][i]));
            QVERIFY(torch::equal(after[0][i], after[1][i]));
        }
        QVERIFY(!torch::equal(before[0][0], after[0][0])); // the step did move them
    }

    // The gradient after the bucketed all-reduce is the mean of the two ranks' own.
    void averagedGradientIsTheMean() {
        torch::manual_seed(5);
        const torch::Tensor x = torch::randn({8, 3, 8, 8});
        const torch::Tensor y = torch::randint(0, 3, {8});
        std::array<std::vector<torch::Tensor>, 2> synced;
        std::vector<torch::Tensor> expected;
        const auto errors = onTwoRanks([&](int rank, Communicator& comm) {
            TinyNet net;
            auto shared = std::shared_ptr<Communicator>(&comm, [](Communicator*) {});
            std::vector<torch::Tensor> params = net->parameters();
            comm.broadcast(params); // the same weights
            // Small buckets: several all-reduces in flight during backward.
            GradientSync sync(*net, shared, 0.0005);
            require(sync.bucketCount() > 1, "expected several buckets");
            std::array<std::vector<torch::Tensor>, 2> alone;
            for (int r = 0; r < 2; ++r) { // each shard's gradient, without the others
                net->zero_grad();
                torch::nn::functional::cross_entropy(net->forward(x.narrow(0, 4 * r, 4)),
                                                     y.narrow(0, 4 * r, 4))
                    .backward();
                alone[static_cast<size_t>(r)] = gradients(*net);
            }
            net->zero_grad();
            sync.begin();
            sync.beforeBackward();
            torch::nn::functional::cross_entropy(net->forward(x.narrow(0, 4 * rank, 4)),
                                                 y.narrow(0, 4 * rank, 4))
                .backward();
            sync.finish();
            synced[static_cast<size_t>(rank)] = gradients(*net);
            if (rank == 0) {
                for (size_t i = 0; i < alone[0].size(); ++i) {
                    expected.push_back((alone[0][i] + alone[1][i]) / 2);
                }
            }
            require(sync.figures().bytes > 0, "no bytes counted");
        });
        QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + errors[1]).c_str());
        QCOMPARE(synced[0].size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            QVERIFY(torch::allclose(synced[0][i], expected[i], 1e-6, 1e-7));
            QVERIFY(torch::equal(synced[0][i], synced[1][i]));
        }
    }

    // 20 Adam steps: two ranks with 16 samples each end where one process with the 32
    // ends (no BatchNorm, so nothing depends on how the batch is split).
    void twoRanksOfSixteenAreOneOfThirtyTwo() {
        torch::manual_seed(7);
        const torch::Tensor x = torch::randn({20, 32, 3, 8, 8});
        const torch::Tensor y = torch::randint(0, 3, {20, 32});
        auto train = [&](TinyNet& net, GradientSync* sync, int rank, int world) {
            torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-2));
            const int64_t share = 32 / world;
            for (int64_t s = 0; s < 20; ++s) {
                adam.zero_grad();
                auto loss = torch::nn::functional::cross_entropy(
                    net->forward(x[s].narrow(0, rank * share, share)),
                    y[s].narrow(0, rank * share, share));
                if (sync) {
                    sync->begin();
                    sync->beforeBackward();
                }
                loss.backward();
                if (sync) {
                    sync->finish();
                }
                adam.step();
            }
        };
        TinyNet whole;
        const auto start = snapshot(*whole);
        train(whole, nullptr, 0, 1);
        std::array<std::vector<torch::Tensor>, 2> ranks;
        const auto errors = onTwoRanks([&](int rank, Communicator& comm) {
            TinyNet net;
            {
                torch::NoGradGuard noGrad;
                auto params = net->parameters();
                for (size_t i = 0; i < params.size(); ++i) {
                    params[i].copy_(start[i]);
                }
            }
            auto shared = std::shared_ptr<Communicator>(&comm, [](Communicator*) {});
            GradientSync sync(*net, shared);
            train(net, &sync, rank, 2);
            ranks[static_cast<size_t>(rank)] = snapshot(*net);
        });
        QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + errors[1]).c_str());
        const auto end = snapshot(*whole);
        for (size_t i = 0; i < end.size(); ++i) {
            QVERIFY(torch::equal(ranks[0][i], ranks[1][i]));
            const double diff = (ranks[0][i] - end[i]).abs().max().item<double>();
            QVERIFY2(diff < 1e-4,
                     qPrintable(QStringLiteral("parameter %1 differs by %2").arg(i).arg(diff)));
        }
        QVERIFY(!torch::allclose(start[0], end[0])); // it did train
    }

    // One BatchNorm layer: synchronised over two ranks holding half a batch each, it
    // computes what LibTorch's computes on the whole batch, forward and backward.
    void syncBatchNormIsOneBatchNormOverTheRanks() {
        torch::manual_seed(11);
        const torch::Tensor x = torch::randn({8, 3, 5, 5}) * 2 + 1;
        const torch::Tensor r = torch::randn({8, 3, 5, 5});
        torch::nn::BatchNorm2d whole(3);
        const torch::Tensor xw = x.clone().requires_grad_(true);
        (whole->forward(xw) * r).sum().backward();
        const torch::Tensor yw = whole->forward(x.clone()); // train mode again, same batch
        std::array<torch::Tensor, 2> y, dx, dweight, runningMean;
        const auto errors = onTwoRanks([&](int rank, Communicator& comm) {
            SyncableBatchNorm2d bn(3);
            bn->synchronise(std::shared_ptr<Communicator>(&comm, [](Communicator*) {}));
            const torch::Tensor xr = x.narrow(0, 4 * rank, 4).clone().requires_grad_(true);
            const torch::Tensor out = bn->forward(xr);
            (out * r.narrow(0, 4 * rank, 4)).sum().backward();
            y[static_cast<size_t>(rank)] = out.detach();
            dx[static_cast<size_t>(rank)] = xr.grad();
            dweight[static_cast<size_t>(rank)] = bn->weight.grad().clone();
            runningMean[static_cast<size_t>(rank)] = bn->running_mean.clone();
        });
        QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + errors[1]).c_str());
        QVERIFY(torch::allclose(torch::cat({y[0], y[1]}), yw, 1e-4, 1e-5));
        QVERIFY(torch::allclose(torch::cat({dx[0], dx[1]}), xw.grad(), 1e-4, 1e-5));
        QVERIFY(torch::allclose(dweight[0] + dweight[1], whole->weight.grad(), 1e-4, 1e-5));
        // One update of the running mean, as the whole batch's first.
        torch::nn::BatchNorm2d once(3);
        once->forward(x);
        QVERIFY(torch::allclose(runningMean[0], once->running_mean, 1e-5, 1e-6));
    }

    // The whole trainer, BatchNorm included: 2 ranks × 8 images with --sync-bn compute the
    // losses one process with 16 computes (rotation draws nothing at random for its
    // batches), step after step; with each rank's own statistics they do not, from the
    // first step. (Over many steps the two runs drift apart all the same: parameters whose
    // gradient is float noise, such as a convolution's bias before BatchNorm, get Adam
    // steps of ±lr whose signs the order of additions decides; the two-rank runs of
    // GradientSync above, on a network without BatchNorm, stay together for 20 steps.)
    void syncBatchNormMakesTwoRanksOne() {
        const int kSteps = 3;
        const torch::Tensor images = makeDemoImages(64, 32, 1);
        Trainer single(rotationConfig(16), images);
        std::vector<double> expectedLosses;
        for (int s = 0; s < kSteps; ++s) {
            expectedLosses.push_back(single.step().loss);
        }
        std::vector<torch::Tensor> expected = snapshot(single.model());
        std::array<double, 2> lossGap{}, parameterGap{};
        for (const bool sync : {true, false}) {
            std::array<std::vector<torch::Tensor>, 2> ranks;
            std::vector<double> losses;
            const auto errors = onTwoRanks([&](int rank, Communicator& comm) {
                TrainConfig cfg = rotationConfig(8);
                cfg.syncBatchNorm = sync;
                Trainer trainer(cfg, images);
                trainer.joinGroup(std::shared_ptr<Communicator>(&comm, [](Communicator*) {}));
                for (int s = 0; s < kSteps; ++s) {
                    const double loss = trainer.step().loss; // the mean over the ranks
                    if (rank == 0) {
                        losses.push_back(loss);
                    }
                }
                ranks[static_cast<size_t>(rank)] = snapshot(trainer.model());
            });
            QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + errors[1]).c_str());
            const size_t k = sync ? 0 : 1;
            for (size_t s = 0; s < losses.size(); ++s) {
                lossGap[k] = std::max(lossGap[k], std::abs(losses[s] - expectedLosses[s]));
            }
            for (size_t i = 0; i < expected.size(); ++i) {
                QVERIFY(torch::equal(ranks[0][i], ranks[1][i]));
                parameterGap[k] = std::max(parameterGap[k],
                                           (ranks[0][i] - expected[i]).abs().max().item<double>());
            }
        }
        qInfo("against one process of 16, %d steps: losses within %.2e and parameters within "
              "%.2e with --sync-bn; %.2e and %.2e without",
              kSteps, lossGap[0], parameterGap[0], lossGap[1], parameterGap[1]);
        QVERIFY(lossGap[0] < 1e-4);
        QVERIFY(lossGap[1] > 100 * lossGap[0]);
    }

    // Rank r's share of each global batch is the r-th part of one process's batch of the
    // whole: the same images, in the same order, and nothing drawn twice.
    void ranksShareTheGlobalBatch() {
        const torch::Tensor images = makeDemoImages(48, 32, 1);
        Trainer single(rotationConfig(16), images);
        std::vector<torch::Tensor> whole;
        for (int s = 0; s < 3; ++s) {
            whole.push_back(single.nextBatch().original);
        }
        std::array<std::vector<torch::Tensor>, 2> parts;
        const auto errors = onTwoRanks([&](int rank, Communicator& comm) {
            Trainer trainer(rotationConfig(8), images);
            trainer.joinGroup(std::shared_ptr<Communicator>(&comm, [](Communicator*) {}));
            for (int s = 0; s < 3; ++s) {
                parts[static_cast<size_t>(rank)].push_back(trainer.nextBatch().original);
            }
        });
        QVERIFY2(errors[0].empty() && errors[1].empty(), (errors[0] + errors[1]).c_str());
        for (int s = 0; s < 3; ++s) {
            QVERIFY(torch::equal(torch::cat({parts[0][s], parts[1][s]}), whole[s]));
        }
    }

    void mismatchedConfigurationIsRefused() {
        const auto errors = onTwoRanks([](int rank, Communicator& comm) {
            comm.checkSameConfig({{"task", "rotation"}, {"seed", rank == 0 ? "1" : "2"}});
        });
        QVERIFY2(errors[1].find("seed is '2', rank 0's is '1'") != std::string::npos,
                 errors[1].c_str());
        QVERIFY2(errors[0].find("rank 1") != std::string::npos &&
                     errors[0].find("seed") != std::string::npos,
                 errors[0].c_str());
    }

    // Rank 1 joins and then never takes part: rank 0 stops after its timeout, naming it.
    void silentRankIsNamed() {
        std::atomic<bool> released{false};
        const auto errors = onTwoRanks(
            [&](int rank, Communicator& comm) {
                if (rank == 1) {
                    while (!released) {
                        std::this_thread::sleep_for(std::chrono::milliseconds(10));
                    }
                    return;
                }
                torch::Tensor t = torch::ones({4});
                try {
                    comm.allreduceSum(t);
                } catch (...) {
                    released = true;
                    throw;
                }
                released = true;
            },
            2);
        QVERIFY2(errors[0].find("rank 1 stopped answering") != std::string::npos,
                 errors[0].c_str());
    }

    void environmentIsRead() {
        std::map<std::string, std::string> env;
        auto lookup = [&](const char* name) -> const char* {
            auto it = env.find(name);
            return it == env.end() ? nullptr : it->second.c_str();
        };
        QVERIFY(!distFromEnvironment(lookup)); // one process
        env = {{"WORLD_SIZE", "4"},      {"RANK", "3"},
               {"LOCAL_RANK", "1"},      {"LOCAL_WORLD_SIZE", "2"},
               {"MASTER_ADDR", "node0"}, {"MASTER_PORT", "1234"}};
        const auto s = distFromEnvironment(lookup);
        QVERIFY(s && s->distributed());
        QCOMPARE(s->rank, 3);
        QCOMPARE(s->localRank, 1);
        QCOMPARE(s->masterAddr, std::string("node0"));
        QCOMPARE(s->masterPort, 1234);
        auto refused = [&](const std::map<std::string, std::string>& vars, const char* named) {
            env = vars;
            try {
                distFromEnvironment(lookup);
            } catch (const std::invalid_argument& e) {
                return std::string(e.what()).find(named) != std::string::npos;
            }
            return false;
        };
        QVERIFY(refused({{"WORLD_SIZE", "2"}}, "RANK is not set"));
        QVERIFY(refused({{"WORLD_SIZE", "2"}, {"RANK", "2"}}, "RANK='2'"));
        QVERIFY(refused({{"WORLD_SIZE", "two"}}, "WORLD_SIZE='two'"));
        QVERIFY(
            refused({{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"MASTER_PORT", "70000"}}, "MASTER_PORT"));
        QVERIFY(refused({{"WORLD_SIZE", "4"}, {"RANK", "0"}, {"LOCAL_WORLD_SIZE", "2"}},
                        "MASTER_ADDR"));
    }
};

QTEST_GUILESS_MAIN(TestDist)
#include "test_dist.moc"
