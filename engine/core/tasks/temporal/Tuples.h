#pragma once
// How temporal-order tuples are made from windows of consecutive frames: Misra et
// al.'s (2016) verification tuples and the shuffled sequences of order prediction,
// with Lee et al.'s (2017) classes where an order and its reverse are one class.
#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <vector>

namespace pretext {

// The T! orders of T frames in T!/2 classes: an order and its reverse share a class
// (Lee et al.), the same motion played backwards being often just as plausible. In
// this program's terms order π (the time index shown at each position) pairs with
// T-1-π: the same frames taken from the reversed video, whose sorted sequence is the
// original one read backwards. An input cannot tell the two apart.
struct OrderClasses {
    int frames = 0;
    std::vector<std::vector<int>> perms;           // all T! orders, lexicographic
    std::vector<int> classOf;                      // class of each order in perms
    std::vector<std::vector<int>> representatives; // per class, the smaller of the pair
    int classCount() const { return static_cast<int>(representatives.size()); }
    int classOfOrder(const std::vector<int>& order) const; // -1 when not an order of T
};

// Throws std::invalid_argument unless 2 <= frames <= 6.
OrderClasses makeOrderClasses(int frames);
// The same, made once per process and shared (batches ask for it at every step).
const OrderClasses& orderClasses(int frames);

// Verification tuples over five frames a<b<c<d<e (positions 0..4 in the window):
// (b,c,d) in order, (b,a,d) and (b,e,d) not, half of the positives and half of the
// negatives; each tuple shown reversed with probability 1/2, which keeps the
// answer (the middle frame lies between the others or not).
struct VerifyTuples {
    torch::Tensor positions; // (B,3) int64 in 0..4
    torch::Tensor inOrder;   // (B) float, 1 for a tuple in order
};
VerifyTuples sampleVerifyTuples(int64_t count, at::Generator& generator);

// Shuffled sequences: each sample's order drawn uniformly from all T!.
struct SortTuples {
    torch::Tensor perms;   // (B,T) int64: the frame (time index) shown at position t
    torch::Tensor classes; // (B) int64 class of that order
};
SortTuples sampleSortTuples(int64_t count, const OrderClasses& classes, at::Generator& generator);

// (B,K,3,S,S) -> (B,3,S,K*S): the frames side by side.
torch::Tensor frameStrip(const torch::Tensor& frames);

// Where the model's order puts things: for each sample, `predicted[t]` is the time
// index the model gives the frame at position t. With `reverseEquivalent`, an order
// may be read backwards (the class says only "this order or its reverse"): whichever
// reading agrees with the truth more is taken. Returns (B,T) int64.
torch::Tensor orientPrediction(const torch::Tensor& predicted, const torch::Tensor& truth,
                               bool reverseEquivalent);

} // namespace pretext
