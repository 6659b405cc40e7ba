// Writes COUNT photo-like JPEGs of 256 to 640 pixels per side into DIR (in subfolders
// of 1,000), for the input pipeline's benchmark: a large set made here, no download.
//   pretext-make-images DIR COUNT [SEED]
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s DIR COUNT [SEED]\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const int count = std::atoi(argv[2]);
    const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
    for (int f = 0; f * 1000 < count; ++f) {
        std::filesystem::create_directories(dir + "/" + std::to_string(f));
    }
    cv::parallel_for_(cv::Range(0, count), [&](const cv::Range& range) {
        for (int i = range.start; i < range.end; ++i) {
            cv::RNG rng(seed * 1'000'003 + static_cast<uint64_t>(i));
            const int w = rng.uniform(256, 641), h = rng.uniform(256, 641);
            // A sky-to-ground gradient, a few shapes, and fine noise: JPEG sizes and
            // decode times like photographs', not like flat test cards.
            cv::Mat image(h, w, CV_8UC3);
            const cv::Scalar top(rng.uniform(120, 255), rng.uniform(80, 200), rng.uniform(0, 120));
            const cv::Scalar bottom(rng.uniform(0, 120), rng.uniform(60, 180), rng.uniform(0, 150));
            for (int y = 0; y < h; ++y) {
                const double t = static_cast<double>(y) / h;
                image.row(y).setTo(top * (1 - t) + bottom * t);
            }
            for (int s = 0; s < 6; ++s) {
                const cv::Scalar colour(rng.uniform(0, 256), rng.uniform(0, 256),
                                        rng.uniform(0, 256));
                const cv::Point centre(rng.uniform(0, w), rng.uniform(0, h));
                if (s % 2) {
                    cv::circle(image, centre, rng.uniform(10, std::min(w, h) / 3), colour, -1);
                } else {
                    cv::rectangle(image, centre,
                                  centre +
                                      cv::Point(rng.uniform(10, w / 2), rng.uniform(10, h / 2)),
                                  colour, -1);
                }
            }
            cv::Mat noise(h, w, CV_8UC3);
            rng.fill(noise, cv::RNG::NORMAL, 0, 12);
            image += noise;
            const std::string path =
                dir + "/" + std::to_string(i / 1000) + "/img" + std::to_string(i) + ".jpg";
            cv::imwrite(path, image, {cv::IMWRITE_JPEG_QUALITY, 90});
        }
    });
    std::printf("wrote %d JPEGs into %s\n", count, dir.c_str());
    return 0;
}
