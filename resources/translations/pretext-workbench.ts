<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>CurvePlot</name>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exponential moving average of the batch curves, debiased at the start; the raw curve stays faint behind it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>x: step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>x: wall time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show every point and follow new ones (or double-click the plot). Drag to zoom into a box, Shift+drag to pan, wheel to zoom.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Curves as CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plot as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plot as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wall time (h:mm:ss)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>best %1: %2 at step %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>Open images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open video…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The built-in procedural images (shapes, gradients, textures, occluders) and a procedural video (moving, turning, occluding shapes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Videos: keep every Nth frame (a larger stride means more motion between the frames of a tuple)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (and video frames) larger than this are skipped and named, judged from the file&apos;s header before any pixel is decoded: a damaged or hostile file claiming 30000x30000 pixels cannot take the memory. Raise it for very large photographs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video stride</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Largest image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>image %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; images at %2×%2 px&lt;br&gt;%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n file(s) skipped:&lt;/b&gt;</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;i&gt;%1&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading… %1 of %2 files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of ~%m frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decoding video…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images are cropped to a square and resized to this size once, when loaded; changing it reloads the current images (Context Encoders: 128 px; Noroozi &amp; Favaro: 225-pixel crops; Gidaris et al.: 32 px on CIFAR-10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;i&gt;%1&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;(%1 shown, spread over the set)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory the decoded images or video frames may take, all files together. A set that fits is decoded once and kept; a larger one is read from the files as training asks (videos clip by clip), and its memory no longer grows with it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep decoded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How training reads image files and videos. Automatic: decoded once and kept when they fit the memory above, else read from the files. Keep decoded: always kept (fastest; memory grows with the set). From the files: decoded as training asks, in decode threads, while the previous batch trains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (half the CPUs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads that decode, crop and resize image files and video clips while training runs; the Data panel and the status bar say how long training waited for them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt; frames of %n video(s) at %2×%2 px, read clip by clip; %3 of them (%4 MB) kept for the image tasks&lt;br&gt;%5</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt; frames of %n video(s) at %2×%2 px, %3 MB of the %4 MB memory&lt;br&gt;%5</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (during training)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataSource</name>
    <message>
        <source>built-in demo set (seed %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and a demo video of %2 × %3 frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and %2 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 training images (labels not used)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of the %2 training images, drawn with seed %3 (%4 MB at %5 px)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the data changed since the run was recorded: %1 images then, %2 now in %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the data changed since the run was recorded: %1 %2 then, %3 now in %4%5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing could be loaded from %1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <comment>paths</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 files indexed from their headers in %2 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmbedRun</name>
    <message>
        <source>the map holds no features to write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at step %2, stage %3: %4 — %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the map is written as .png, .csv or .pt, not .%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 test images of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 image(s) could be read; a map needs at least 4%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 images of %2 (%3 found)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown map method &apos;%1&apos; (tsne or pca)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown colouring &apos;%1&apos; (brightness or saturation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1: the encoder has stages 1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PCA (%1% of the variance)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>t-SNE (perplexity %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 images of the built-in demo set (seed %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmbeddingMap</name>
    <message>
        <source>%1 %2–%3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmbeddingPanel</name>
    <message>
        <source>Held-out images to map: &apos;fashion-mnist&apos;, a folder of IDX files or a folder per class (their test images, coloured by class), or any folder of images (coloured by brightness or saturation).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images to map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images drawn (seeded, the same at every checkpoint). t-SNE of 2,000 takes a few seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>t-SNE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PCA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>t-SNE keeps each image&apos;s neighbours near it (distances between clusters mean little); PCA is the linear view, the two directions of largest variance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which encoder stage&apos;s features are mapped (global average pooled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>brightness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saturation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What colours the dots of unlabelled images (labelled ones are coloured by class)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At checkpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While a run trains, map it again at each checkpoint it writes (every 250 steps), the dots gliding to their new places</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embed the images with the run&apos;s latest checkpoint and map them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trained %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>random %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clicked image&apos;s nearest neighbours by cosine similarity of each stage&apos;s features: this run&apos;s encoder, then the same architecture at random initialisation (what training changed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click a dot: its nearest neighbours at every stage appear here, by this run&apos;s encoder and at random initialisation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a run in the Runs panel, or train one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embed the images with the latest checkpoint of %1 and map them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The map shows how the encoder arranges held-out images: choose a run, then Map. Classes that gather in their own regions are what a linear probe can separate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1: press Map to embed the images with its latest checkpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The map could not be made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map of %1 at step %2 made in %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedding %1 images with %2&apos;s latest checkpoint, then the map…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Classes apart (silhouette, −1 to 1): &lt;b&gt;%1&lt;/b&gt;, at random init %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2) at step %3, stage %4 (%5 features), %6: %7.%8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Features took %1 s, the map %2 s. Hover a dot to see its image; click it for its neighbours; drag to move, wheel to zoom.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>random init: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trained: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
cosine similarity %1 (click: its own neighbours)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Neighbours of %1 (%2), by cosine similarity; same class shaded, counted (trained · random init) beside each stage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Neighbours of %1, by cosine similarity: this run&apos;s encoder, then random initialisation.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EncoderExport</name>
    <message>
        <source>%1: the encoder file&apos;s name must end in .pt or .pth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1: the encoder has stages 1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EngineStatus</name>
    <message>
        <source>idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · GPU peak %1 GiB</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GradientPanel</name>
    <message>
        <source>Which sample of the batch to show. Paused, a change inspects the last batch again at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train, or pause and step, to check a batch&apos;s gradient.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The prediction and the heat map of ∂L/∂x̂ appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predicted probability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p (softmax)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>‖∂L/∂θ‖ per layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vanishing gradients show as a layer&apos;s curve falling by decades; exploding ones as a curve shooting up before the loss turns NaN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1, %2 samples. Autograd against the closed form: max |difference| = &lt;b&gt;%3&lt;/b&gt; over every entry (largest |gradient| %4) %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&quot;color:#2a9d3a&quot;&gt;&amp;#10003; agree&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&quot;color:#d03030&quot;&gt;&amp;#10007; differ&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>|∂L/∂ẑ|, Σ bins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>|∂L/∂x̂|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>position: probability of its true tile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample %1%2: p(truth) = %3, −log p = %4%5. Batch mean of −log p(truth) = %6 (the loss).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; chance %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Handout</name>
    <message>
        <source>Loss: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretext Workbench %1 · seed %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: there are no samples to put on the handout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written (is the folder writable?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistogramPlot</name>
    <message>
        <source>%1, step %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Pretext Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load images or the demo set to see what the model will see.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Train: held-out images and the model&apos;s reconstructions appear here, refreshed as it learns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held-out samples, live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linear probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview: what the model sees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretext task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tuples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading cancelled; the data loaded before stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1; its files are in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot be set here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff *.ppm *.pgm *.pbm *.pnm);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a folder of images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open videos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Videos (*.avi *.mp4 *.mkv *.mov *.mpg *.mpeg *.m4v *.webm *.wmv *.ogv *.flv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open videos or images, not both at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Video…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+V</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Demo Set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause / Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Step Once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Full Screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the &amp;System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The desktop&apos;s own colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light text on dark panels and plots, for dim rooms and projectors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Pretext Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Pretext Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Pretext Workbench %1&lt;/b&gt;&lt;p&gt;See, train and debug self-supervised pretext tasks.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load Config…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a run config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON config (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save Config…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the run config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON config (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs &amp;Workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the runs workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss Curves as &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss Plot as &amp;PNG or PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the loss plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preview Grid as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand&amp;out of the Preview (PDF or PNG)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export a printable handout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF (*.pdf);;PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Held-out Results as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the held-out results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run &amp;Report (HTML)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one run in the Runs panel to write its report.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report could not be written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The probe failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is nothing to export yet: the grid is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, step %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop training before loading a config.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Config loaded from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the current run before resuming another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run cannot be resumed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume from step %1 with the learning rate lowered from %2 to %3?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new run with the learning rate lowered from %1 to %2?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start again with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Math</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Replay This Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no preset &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop training before choosing a preset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run folder: %1 | convolutions %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show each image before augmentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preview shows samples augmented as training augments them (Training ▸ Augmentation); this adds the image they came from as the first column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · convolutions %2 by the program&apos;s routes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>k-NN accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>k-NN monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run&apos;s loss and metric curves, live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The curves of the runs chosen in the Runs panel, overlaid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How well a linear classifier on the frozen encoder&apos;s features recognises labelled images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>k-NN monitor (%1 s per evaluation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ▸ %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The task&apos;s loss and gradient, with this step&apos;s numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>∂L/∂output on a sample, and the gradient norm of every layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One step at a time: the batch, the loss, what changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut diagnostics: the same task with and without a cue, side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedding map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held-out images laid out by the encoder&apos;s features (t-SNE or PCA), with each image&apos;s nearest neighbours, live at checkpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The embedding map failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saliency failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saliency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which pixels the model&apos;s prediction rests on: gradient × input and occlusion, per tile for jigsaw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PyTorch state dict (*.pt *.pth)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The encoder could not be exported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoder exported (%1, step %2): %3 and its .json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held-out samples at step %1, as the run saved them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Following stopped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop training before following a run written elsewhere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be followed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretext Workbench — following %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Following %1 (read-only): step %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · checkpoint of step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> · last written %n s ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is written by another process; this window only reads it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Follow Run Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow a run folder another process writes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop &amp;Following</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped following; the run goes on where it runs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Metric</name>
    <message>
        <source>held-out %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ab error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy 180</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy 270</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy 90</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bin accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chroma ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>frame accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in order accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tile accuracy</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>2×2 puzzles with all 24 orders: accuracy climbs well above chance (1 in 24) within a minute on a laptop CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3 frames of the demo video at 32 pixels: accuracy climbs well above chance within a minute on a laptop CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A fixed central hole lets a network learn the hole&apos;s border as a low-level cue (Pathak et al. note this); random patches, as MAE uses, ask for content everywhere. Compare the reconstructions and the probe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classroom demonstration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context Encoders: central hole, rim weighted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fashion-MNIST at 32 pixels (the demo shapes have no &apos;up&apos; to learn) and a narrow model: accuracy climbs from chance (1 in 4) within a minute on a laptop CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free-form holes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gidaris et al.: four rotations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gidaris, Singh &amp; Komodakis 2018: every image at 0°, 90°, 180° and 270°, one class each.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>He et al. 2021 hide 75% of 16-pixel patches of a 224-pixel image; here 8-pixel patches of a 64-pixel image, the same ratio.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inpainting: central block or random patches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Irregular smooth holes covering 30% of the image, as free-form inpainting work uses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jigsaw: channel jitter (chromatic aberration)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jigsaw: gaps between tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jigsaw: per-tile normalisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lee et al. 2017 (OPN): 4 shuffled frames, one class per order up to reversal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lenses shift colour channels by different amounts towards the image border (chromatic aberration), and networks learn to read a tile&apos;s position from it (Doersch et al. 2015; Noroozi &amp; Favaro 2016). Jittering each channel by a few pixels removes that cue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAE-style random patches, 75% hidden</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MSE over H·W·C on a and b: the averaged, greyish colours it produces are the reason the class variant exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Misra et al. 2016: tuples of 3 frames, in order or not, sampled only where there is motion.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normalising each tile to zero mean and unit variance removes low-level statistics (brightness, contrast gradients such as vignetting) that reveal where a tile came from. With raw tiles those statistics are a shortcut.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Noroozi &amp; Favaro 2016: 3×3 tiles with gaps and random placement in their cells, each tile normalised, colour cues weakened; a permutation set chosen for Hamming distance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Noroozi &amp; Favaro leave a gap between tiles so that a network cannot solve the puzzle by matching edges and lines across borders. Without the gap the pretext accuracy rises faster: the shortcut is taken. Whether the encoder learned anything more is what the probe says.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Noroozi &amp; Favaro: 3×3, gaps, normalised tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pathak et al. 2016: a central square of half the side hidden, filled with the data mean; the rim of the hole weighted 10 times in the loss.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain regression (the seed&apos;s MSE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcuts left open (no gaps, no normalisation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shuffle and Learn samples tuples only where there is motion: from still frames the order cannot be told, and the network learns nothing from them. Without the filter part of every batch is unanswerable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shuffle and Learn: verify order, motion filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Small images and a narrow model: the loss falls and colour appears in the held-out images within a minute on a laptop CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Small images and a narrow model: the loss falls and the holes fill with plausible colour within a minute on a laptop CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort 4 frames (order prediction)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temporal order: the motion filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiles touch and keep their statistics: edges and colour continuity solve the puzzle without learning what objects look like.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zhang et al.: classes in Lab, rebalanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zhang, Isola &amp; Efros 2016: ab quantised into bins, soft-encoded targets, class rebalancing with λ = 0.5, annealed-mean decoding at T = 0.38.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>central block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channels shifted by up to 2 px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every tuple (no filter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gap 0.15 (edges hidden)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no channel shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no gap (edges touch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>random patches (75%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raw tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tiles normalised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tuples with motion only (min 2.0)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProbePanel</name>
    <message>
        <source>Labelled images: &apos;fashion-mnist&apos; (Debian&apos;s dataset-fashion-mnist), a folder of MNIST-layout IDX files, or a folder with one subfolder per class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labelled images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labelled training images drawn with the seed (Goyal et al. used the full labelled sets; fewer keep the probe quick).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test images drawn with the seed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draws the splits and the random-weight baseline&apos;s weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze the run&apos;s encoder, fit a linear classifier on each stage&apos;s pooled features, and compare with random weights and raw pixels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trained</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test accuracy of the linear probe on this run&apos;s encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same architecture with random weights, same splits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>test accuracy (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choose a run in the Runs panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The linear probe asks whether the pretext task taught the encoder anything: choose a run, then Probe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run has not been probed yet: press Probe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop training first: the probe needs the machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The probe failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe of %1 done in %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probing %1 on %2: features of %3 + %4 images, three stages, twice (trained and random weights), and raw pixels…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at step %2, probed on %3: %4 training and %5 test images at %6 px, seed %7 (chance %8). Best: stage %9.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raw pixels (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature dimensions in brackets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this run&apos;s encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>random weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raw pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chance</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProbeRun</name>
    <message>
        <source>%1: the checkpoint carries no readable run config%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input normalisation &apos;%1&apos;: choose %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2; give --backbone small, resnet18, resnet34 or resnet50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a backbone this program knows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a backbone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1 (batches)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;This batch (step %1, %2 samples)&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;L&lt;/i&gt; = &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;|&lt;i&gt;M&lt;/i&gt;| = &lt;b&gt;%1&lt;/b&gt; hidden entries (hidden pixels &amp;times; 3 channels; with a rim weight above 1, the weighted count &amp;sum; &lt;i&gt;w&lt;/i&gt;); %2; &lt;sup&gt;2&lt;/sup&gt;&amp;frasl;&lt;sub&gt;|&lt;i&gt;M&lt;/i&gt;|&lt;/sub&gt; = %3&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;B&amp;middot;H&amp;middot;W&amp;middot;C&lt;/i&gt; = &lt;b&gt;%1&lt;/b&gt; entries (&lt;i&gt;C&lt;/i&gt; = 2: a, b); %2; &lt;sup&gt;2&lt;/sup&gt;&amp;frasl;&lt;sub&gt;&lt;i&gt;BHWC&lt;/i&gt;&lt;/sub&gt; = %3&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;N&lt;/i&gt; = &lt;b&gt;%1&lt;/b&gt; output pixels; %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;%1 &amp;nbsp; (the mean of &amp;minus;log &lt;i&gt;p&lt;/i&gt;(truth) over the batch: %2)&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Sample %1%2: &lt;i&gt;p&lt;/i&gt;(truth) = &lt;b&gt;%3&lt;/b&gt;, &amp;minus;log &lt;i&gt;p&lt;/i&gt; = &lt;b&gt;%4&lt;/b&gt;; chance would give %5.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Entries of sample %1:&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Autograd against the closed form, over every entry of &amp;part;&lt;i&gt;L&lt;/i&gt;/&amp;part;output: max |difference| = &lt;b&gt;%1&lt;/b&gt; (the largest gradient is %2) %3&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;#10003; they agree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;#10007; they differ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Loss&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Gradient with respect to the output&lt;/h3&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;small&gt;As implemented: %1&lt;/small&gt;&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;Train (or pause and step) to see the numbers of a batch here.&lt;/i&gt;&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training accuracy %1, L2 weight %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no config.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be copied into the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;The run saved no previews.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>k-NN accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>random-init encoder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecentFiles</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>(nothing opened yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear the list</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunComparison</name>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Curve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select runs in the Runs panel (Ctrl/Shift+click for several) to overlay their curves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) overlaid</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) overlaid; </source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RunConfig</name>
    <message>
        <source>a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>params: must be an object of name: value, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>params.%1: task %2 has no such parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>params.%1: &apos;%2&apos; is not one of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>params.%1: must be a %2 from %3 to %4, not %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data: must be an object, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.%1: unknown key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.source: must be demo, files, videos or idx, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.labels: must name the IDX data (&apos;fashion-mnist&apos; or a folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.paths: must be a list of file or folder paths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.%1: must be a whole number from %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.size_px: must be a multiple of 8, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: unknown key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task: must be one of %1, not &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch_size: must be a whole number from 1 to 4096</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>learning_rate: must be a number above 0 and at most 10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seed: must be a whole number of at least 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max_steps: must be a whole number from 0 (until stopped) to 100000000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: must be auto, cpu or cuda, not &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2 MB; a config is a small JSON file (at most 16 MB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2 at character %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: a config is a JSON object { ... }</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not exist or is not a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a run folder: it holds no config.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: config.json does not say which data the run trained on (a run of an older version); it cannot be resumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>conv_route: must be auto, libtorch or fast, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>conv_routes: must be an object of layer: route, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>conv_routes.%1: not a convolution route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>augment: must be auto, off, crop-flip or crop-flip-jitter, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>monitor: must be a string (fashion-mnist or a path), not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>monitor_every: must be a whole number of steps, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>monitor_stage: must be a stage number (0: the last), not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accumulate: must be a whole number from 1 to 4096</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>init_encoder: must be the path of a state dict file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sync_bn: must be true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>precision: must be fp32, bf16, fp16 or amp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channels_last: must be auto, on or off</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunFolder</name>
    <message>
        <source>%1 could not be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already holds a run (metrics.csv); choose another folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a run folder: it holds no config.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be opened: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be renamed to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no checkpoint.pt (the run saved none yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: checkpoint.json, the manifest of checkpoint.pt, is missing, so the checkpoint cannot be checked and is not loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: checkpoint.json is not valid JSON (%2); the checkpoint is not loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: checkpoint.json has no SHA-256 and size; the checkpoint is not loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the checkpoint is of task &apos;%2&apos;, not &apos;%3&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2 bytes, and its manifest checkpoint.json says %3: the file was cut short or replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not match the SHA-256 in its manifest checkpoint.json: the file was changed or damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2; it is not loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunFollower</name>
    <message>
        <source>%1 holds no run any more (config.json is gone)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunHistory</name>
    <message>
        <source>%1 could not be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a metrics file of this program (its header is &apos;%2&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no config.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no steps logged</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>Workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder whose run folders are listed; new runs are written there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the runs workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lowest held-out loss when the run measured one, else lowest batch loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select several runs (Ctrl/Shift+click) to overlay their curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go on with the selected run from its checkpoint, with its own settings and data, up to the Training panel&apos;s &apos;Stop after&apos; (or until stopped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write an HTML report of the selected run (config, curves, previews, final metrics) into its folder and open it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved previews</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at step %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held-out loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a run to see its saved previews.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run saved no previews.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export encoder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the selected run&apos;s trained encoder as a state dict for PyTorch (torchvision&apos;s names for a ResNet) and a JSON description beside it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaliencyPanel</name>
    <message>
        <source>Held-out images the task makes its samples from: &apos;demo&apos; (the built-in set; video tasks: the demo video), &apos;fashion-mnist&apos;, or a folder of images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At checkpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While a run trains, show its saliency again at each checkpoint it writes (every 250 steps)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient × input and occlusion maps of the run&apos;s latest checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a run in the Runs panel, or train one, then Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which pixels does the model&apos;s prediction rest on? Gradient × input (one backward pass) and occlusion (the loss&apos;s rise when a square is hidden) over what the model sees; per tile for jigsaw, per frame for temporal order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1: press Show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saliency could not be computed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saliency of %1 at step %2 in %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing the saliency of %1&apos;s latest checkpoint…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaliencyRun</name>
    <message>
        <source>%1 trains on clips: its saliency is shown on the demo video (images &apos;demo&apos;), not on &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 clips of the demo video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no sample could be made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what the model sees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient × input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>occlusion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at step %2 on %3; occluding squares of %4 px every %5 px set to the image&apos;s mean; brighter = the loss rests more on those pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grad-CAM (last stage)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutPanel</name>
    <message>
        <source> steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps for each variant; they train in turn, one step each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe afterwards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A linear probe on frozen features (Fashion-MNIST, 2,000 training and 1,000 test images): did the variant that took the shortcut learn less?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the variants train on: the demo set the diagnostics were measured on, or the data loaded in the window (photographs show the cues the demo set lacks: vignetting, chromatic aberration), at the diagnostic&apos;s image size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trains every variant together, each into its own run folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held-out loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held-out accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held-out loss of the pretext task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held-out accuracy of the pretext task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linear probe accuracy on Fashion-MNIST, encoder frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same probe on a randomly initialised encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probing the encoder of “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (chance %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Loaded: %1 (%n images)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the demo set…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training %1 variants side by side, one step of each in turn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done. The runs are in the Runs panel (select them to compare every curve).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped; what was trained is kept in the run folders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saliency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where each variant&apos;s model looks: its samples as it sees them and the occlusion map of its loss (the rise when a square is hidden), side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saliency could not be computed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: occlusion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occlusion: brighter where hiding a square raises the loss more; the same held-out images for every variant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing the saliency of each variant…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StepPanel</name>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause the run to take steps one at a time (F6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step on the next batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One optimizer step on a new batch (F7)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay this batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One more step on the same batch: its loss falls as it is learned (and the held-out samples show whether that generalises) (F8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a run and pause it: each step then shows what one batch does to the model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held-out samples before the step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same samples after it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;This batch over its replays: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Step %1&lt;/b&gt;%2: the batch&apos;s loss &lt;b&gt;%3&lt;/b&gt; before the update, &lt;b&gt;%4&lt;/b&gt; after it (%5%6). Update ‖Δθ‖ = %7, ‖Δθ‖/‖θ‖ = %8.%9</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (the same batch again)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskPanel</name>
    <message>
        <source>Settings that reproduce a paper&apos;s setup, or a classroom demonstration tuned to show learning within a minute on a laptop CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drives the masks in the preview and every random choice of training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(choose a preset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>★ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;small&gt;Loss: %1&lt;/small&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskText</name>
    <message>
        <source>0°→180°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0°→270°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0°→90°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>180°→0°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>180°→270°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>180°→90°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>270°→0°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>270°→180°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>270°→90°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>90°→0°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>90°→180°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>90°→270°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Annealed mean: T near 0 takes each pixel&apos;s most likely bin (vivid), T = 1 the distribution&apos;s mean (washed out); the paper uses 0.38</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block max side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block min side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel jitter (px)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels of the first encoder stage (Gidaris et al. used a NIN and AlexNet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colorization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colourfulness: predicted / true chroma</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decoding T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each frame minus the tuple&apos;s mean frame, so the still background cancels and what moved stands out; without it the network first has to learn to ignore the background, which takes many more steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill hidden with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fraction of patches hidden (MAE uses 0.75)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frame spacing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frames T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grey tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid (N×N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid of the smooth noise; fewer cells give larger regions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hole side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inpainting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jigsaw puzzles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jitter tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L = (1/|M|) Σ_{i∈M} (x̂ᵢ − xᵢ)²,  ∂L/∂x̂ᵢ = 2/|M| (x̂ᵢ − xᵢ) on M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L = −(1/4) Σ_r log p(r | rot_r(x)), r ∈ {0°, 90°, 180°, 270°}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L = −log p(k | x^π) over the |P| permutation indices; position head: L = −Σ_i log p(π⁻¹_i | x^π)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Largest block side, fraction of the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss weight on the hole&apos;s rim (Context Encoders used 10); 1 = plain masked MSE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Masking ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min. motion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixes the data&apos;s bin distribution with a uniform one before inverting it: 0 weights rare colours fully, 1 switches rebalancing off (the paper uses 0.5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Motion measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Noise cells</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normalize tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patch size (px)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Permutations |P|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rebalancing λ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rim weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rim width (px)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotation accuracy (chance 25%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smallest block side, fraction of the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subtract mean frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temporal order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a alone (green ↔ red)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as the model sees it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as the model sees them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>b alone (blue ↔ yellow)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>center</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>classes: one per order, an order and its reverse together (T!/2); position: one softmax per position over the frames (the seed&apos;s formula; forward and backward then differ)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>colorized (regression)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>colorized, T = 0.38</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>composited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>difference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>difference: mean absolute frame difference; flow: mean optical flow magnitude (OpenCV Farnebäck, computed when the video loads)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>frames a–e in time order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>frames out of place (0 = right order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>freeform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gray input L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ground truth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held-out mistakes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held-out puzzles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held-out sequences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input L (what the model sees)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input x ⊙ m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mask m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>masked input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model&apos;s arrangement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model&apos;s order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model&apos;s order (or its reverse)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>noise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>original + grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>patches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>perm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>perm: one class per permutation in P (Noroozi); position: one softmax per position over the tiles (the seed&apos;s formula)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prediction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>regression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>regression: L = (1/HWC) Σ (x̂ − x)² on a, b;  classes: L = −(1/HW) Σ v(Z) Σ_q Z_q log Ẑ_q, colour = Σ_q softmax(z/T)_q c_q</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>regression: predict a and b with MSE (the seed&apos;s formula); classes: a distribution over the in-gamut ab bins (Zhang et al. 2016)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scrambled (tile numbers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scrambled input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shuffled input (true places)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>solved by π⁻¹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>target: nearest of 262 bins at 8×8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tiles out of place (Hamming distance; 0 = solved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true rotation → predicted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true solution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tuple shown (time places)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turned 0°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turned 0° (class 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turned 180°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turned 180° (class 2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turned 270°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turned 270° (class 3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turned 90°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turned 90° (class 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verify: are three frames in order? (Misra et al.) sort: the order of T shuffled frames (Lee et al.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verify: binary cross-entropy on &apos;in order&apos;; sort: L = −log p(class of π | X^π) over T!/2 classes, position head: L = −Σₜ log p(π⁻¹ₜ | X^π)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels of the first encoder stage (Noroozi &amp; Favaro: AlexNet, 96; narrower trains faster here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels of the first encoder stage (Zhang et al.: a VGG-style network, 64; narrower trains faster here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels of the first encoder stage (four frames per sample go through it; Misra et al. ran a CaffeNet per frame)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels of the first encoder stage (the papers&apos; AlexNet-style encoders have 64 to 96; narrower trains faster here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each colour channel shifted by up to this many pixels, hiding the chromatic aberration cue (Noroozi &amp; Favaro jitter the channels by a few pixels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each tile at a random place inside its cell (as Noroozi &amp; Favaro crop them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each tile to zero mean and unit variance (removes low-level statistics; Noroozi &amp; Favaro normalise every tile on its own)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fraction of pixels hidden by the free-form region (irregular-hole inpainting is tested from a few percent up to 60%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fraction of tiles turned grey (removes colour cues; the jigsaw papers train on a share of greyscale images against chromatic aberration)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frames per shuffled sequence: T!/2 classes (3 for T = 3, 12 for T = 4; Lee et al.&apos;s OPN sorts 4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the hidden region is chosen: center, the central square of Context Encoders (Pathak et al. 2016); blocks, their random blocks; freeform, irregular smooth holes; patches, MAE&apos;s random patches (He et al. 2021)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of random blocks (Context Encoders: several, overlapping, together up to a quarter of the image)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part of each cell left out between tiles, so edges cannot be matched (Noroozi &amp; Favaro: 64-pixel tiles in 75-pixel cells, about 0.15)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Side of each patch (MAE: 16 px on 224-pixel images)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Side of the central hole as a fraction of the image (0.5 = a quarter of the area, as in Context Encoders: the central 64 × 64 of 128 × 128)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size of the permutation set (at most (N²)!), chosen for maximal Hamming distance (Noroozi &amp; Favaro: 100 to 1000 of the 9! = 362,880 orders)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiles per side (Noroozi &amp; Favaro: 3, nine tiles)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value the network sees in hidden pixels (Context Encoders: the data mean)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Width of the weighted rim inside the hole&apos;s border (Context Encoders weight a band of a few pixels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A binary mask &lt;i&gt;m&lt;/i&gt; hides pixels (1 visible, 0 hidden); the network sees &lt;i&gt;x&lt;/i&gt; &amp;#8857; &lt;i&gt;m&lt;/i&gt; and &lt;i&gt;m&lt;/i&gt;, and predicts &lt;i&gt;x&amp;#770;&lt;/i&gt;. &lt;i&gt;M&lt;/i&gt; is the set of hidden entries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class variant (Zhang et al. 2016): &lt;i&gt;Q&lt;/i&gt; bins of the ab plane, &lt;i&gt;z&lt;/i&gt; the soft-encoded true colour, &lt;i&gt;v&lt;/i&gt; its rarity weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each image is turned by 0&amp;deg;, 90&amp;deg;, 180&amp;deg; or 270&amp;deg;; the network predicts the turn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frames of a video are shuffled; the network predicts their order (or verifies whether they are in order).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image is cut into an &lt;i&gt;N&lt;/i&gt;&amp;times;&lt;i&gt;N&lt;/i&gt; grid, the tiles are permuted by &amp;pi; from a set &lt;i&gt;P&lt;/i&gt;, and the network predicts which.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network sees the lightness &lt;i&gt;L&lt;/i&gt; of the image in Lab and predicts its colour, the &lt;i&gt;a&lt;/i&gt;, &lt;i&gt;b&lt;/i&gt; channels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fraction of each video&apos;s windows kept, those that move most (0.5: the top half of its own motion distribution; 1: every window that moves at all)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Motion filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shuffle and Learn samples tuples where there is motion. relative: each video keeps its own most-moving windows (works on any video); absolute: the windows above a fixed threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows whose mean motion is below this are not used. Difference: mean |Δ| in % of full scale; flow: pixels per frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>absolute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>relative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video frames (after the stride) between consecutive frames of a tuple</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A ResNet&apos;s first layers: a 3x3 stride-1 convolution without max-pool for small images, or torchvision&apos;s 7x7 stride-2 convolution and max-pool; auto takes the small-input stem below 96 px of encoder input (a jigsaw tile, a video frame)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backbone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ResNet stem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The encoder: the program&apos;s small three-stage network, or a ResNet as torchvision builds it (same parameter names, so `export` gives a torchvision state dict)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>imagenet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resnet18</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resnet34</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resnet50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>small-input</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Automatic (CUDA if available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>until stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new run (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One optimizer step while paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step &lt;b&gt;%1&lt;/b&gt; · loss &lt;b&gt;%2&lt;/b&gt;&lt;br&gt;%3 %4/s · %5 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training on %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;small&gt;Run folder: %1&lt;/small&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;i&gt;%1&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adam learning rate; each task sets its own default, and a change applies to the running run at once (Context Encoders: Adam at 0.0002; Zhang et al.: Adam at 0.00003; the jigsaw and rotation papers: SGD with momentum)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (temporal order: frame tuples) per step; the papers trained with 64 to 256 on GPUs, 32 keeps a step short on a CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the model trains: a CUDA GPU when there is one and LibTorch was built with CUDA, else the CPU; the status bar names the device in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The step at which the run stops by itself (saving its checkpoint); &apos;until stopped&apos; trains until Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fastest, measured per layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LibTorch&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The program&apos;s CPU routes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the convolutions run on the CPU: each layer timed at the start of the run by LibTorch&apos;s kernels and by the program&apos;s own (Winograd, small maps as one product), keeping the faster; or one side for every layer. The status bar and the run&apos;s config.json say which layer took which</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Convolutions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto (crop and flip for files)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random crop and flip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crop, flip and colour jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What each training sample goes through before the task sees it: a random resized crop (35–100% of the image&apos;s area, aspect 3:4 to 4:3), a horizontal flip, and optionally colour jitter (never for colorization, whose target is the colour). A small set of real photos is memorised without it. Auto: crop and flip for images and videos loaded from files, none for the built-in and IDX sets. Held-out samples are never augmented</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fashion-MNIST</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A labelled folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judge the encoder while it learns: every few steps (a twentieth of the training time) 2000 labelled images are embedded by the current encoder and 500 others classified by their 20 nearest neighbours (cosine similarity, weighted votes). The curve appears beside the loss, with the random-init encoder&apos;s accuracy as a reference. A labelled folder has one subfolder per class, or MNIST-layout IDX files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labelled images: one subfolder per class, or IDX files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>k-NN monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>float32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixed, automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixed, bfloat16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixed, float16 (CUDA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The forward pass&apos;s arithmetic. Mixed precision runs the convolutions and matrix products under autocast in a 16-bit type while the weights and the optimizer stay float32: bfloat16 keeps float32&apos;s range; float16 (CUDA only) is faster on older GPUs and needs dynamic loss scaling (an update with overflowed gradients is skipped and the scale halved; the loss_scale curve shows it). Automatic takes bfloat16 on the CPU and on GPUs that compute it (compute capability 8.0 and later), float16 elsewhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> batches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient accumulation: the gradients of this many batches are summed before one update, an effective batch of this times the batch size with one batch&apos;s memory (the run&apos;s config.json records it as global_batch). A step is one update</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random initialisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A state dict file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the encoder&apos;s weights start: random, or a state dict saved by torch.save (a torchvision ResNet&apos;s, or an encoder exported by this program with Export encoder). Its architecture must be the task panel&apos;s backbone; only tensors are read from the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The encoder&apos;s starting weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PyTorch state dicts (*.pt *.pth *.bin);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainingSession</name>
    <message>
        <source>%1 is already at step %2; ask for more steps than that</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checkpoint of step %1 is kept; go on from it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No checkpoint was saved yet (one every %1 steps).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, step %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown augmentation &apos;%1&apos; (auto, off, crop-flip or crop-flip-jitter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>skipped during training (%n file(s) so far; training goes on with the rest): %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Overfitting: the held-out loss has risen since step %1 (%2 → %3) while the training loss kept falling (%4 → %5). The model is memorising its %6 training samples instead of learning what carries over: load more data, or use stronger augmentation (Training ▸ Augmentation).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the k-NN monitor cannot use %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pretext::DiagnosticWorker</name>
    <message>
        <source>A diagnostic is already running; stop it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no diagnostic &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The diagnostic could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The diagnostic stopped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The runs&apos; final files could not be written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The probe of %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 trains on frames of a video, and the data loaded are still images; load a video or train on the demo set</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>pretext::EngineWorker</name>
    <message>
        <source>Stop training before loading other data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo set could not be made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing could be loaded from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No video could be loaded from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no image or video files (png, jpg, bmp, webp, tif; avi, mp4, mkv, ...) were found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown task &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A run is already going; stop it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run cannot be resumed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load images (or the demo set) before training.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run could not be resumed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (%1 threads%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 held to 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training stopped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run&apos;s final files could not be written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be applied: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The gradient could not be inspected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo video could not be made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checkpoint of step %1 of %2, on the first images loaded here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The followed run&apos;s checkpoint could not be shown: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
