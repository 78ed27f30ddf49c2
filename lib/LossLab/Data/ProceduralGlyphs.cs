using LossLab.Training;
using static TorchSharp.torch;

namespace LossLab.Data;

/// <summary>
/// Procedural glyph images: as many samples per class as an experiment needs, where the real digit sets run out.
/// Each class is a fixed prototype of three connected strokes between points of a 4×4 lattice in the unit square
/// (drawn from <c>prototypeSeed</c>; prototypes differ pairwise by at least a few pixels). A sample redraws its class's
/// prototype after a random rotation (up to ±30°·δ), scaling (1 ± 0.25·δ), shift (±0.1·δ of the image), endpoint jitter
/// (σ = 0.06·δ), stroke-width change (±30%·δ) and additive Gaussian pixel noise (σ = 0.2·δ), clipped to [0, 1]; δ is the
/// difficulty in [0, 1]. At δ = 0 every sample of a class is its prototype. Strokes are anti-aliased: a pixel whose centre
/// lies at distance r from a stroke of half-width w gets intensity clamp((w − r)·size + ½, 0, 1).
/// </summary>
public static class ProceduralGlyphs
{
    /// <summary>The prototype stroke half-width, as a fraction of the image side.</summary>
    public const double StrokeHalfWidth = 0.07;

    /// <summary>A line segment in unit-square coordinates (x to the right, y downwards).</summary>
    public readonly record struct Stroke(double X0, double Y0, double X1, double Y1);

    /// <summary>
    /// Draws <paramref name="perClass"/> images of each of <paramref name="numClasses"/> classes; see
    /// <see cref="Generate(IReadOnlyList{int}, int, double, int, FeatureLayout, int)"/>.
    /// </summary>
    public static LabeledTensors Generate(int numClasses, int perClass, int size = 8, double difficulty = 0.3, int seed = 0,
        FeatureLayout layout = FeatureLayout.Image, int prototypeSeed = 0)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 1.");
        return Generate(Enumerable.Repeat(perClass, numClasses).ToArray(), size, difficulty, seed, layout, prototypeSeed);
    }

    /// <summary>
    /// Draws <paramref name="classCounts"/>[c] images of class c, ordered by class. Features are float32 intensities in
    /// [0, 1], shaped (N, 1, size, size) for <see cref="FeatureLayout.Image"/> or (N, size²) for
    /// <see cref="FeatureLayout.Flat"/>; labels are int64. The same arguments always give the same tensors.
    /// </summary>
    /// <param name="classCounts">Samples per class (for example from <see cref="LongTail.ClassCounts"/>); C = its length, at most 200.</param>
    /// <param name="size">Image side in pixels, 8 to 64 (8 and 28 match digits and MNIST).</param>
    /// <param name="difficulty">δ in [0, 1]: 0 gives the clean prototypes, 1 strong deformation and noise.</param>
    /// <param name="seed">Seeds the per-sample deformations and noise.</param>
    /// <param name="layout">The feature shape.</param>
    /// <param name="prototypeSeed">Seeds the class prototypes (keep it fixed to keep the classes' shapes).</param>
    public static LabeledTensors Generate(IReadOnlyList<int> classCounts, int size = 8, double difficulty = 0.3, int seed = 0,
        FeatureLayout layout = FeatureLayout.Image, int prototypeSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(classCounts);
        if (classCounts.Count is < 1 or > 200)
            throw new ArgumentOutOfRangeException(nameof(classCounts), $"classCounts must hold 1 to 200 classes; got {classCounts.Count}.");
        for (int c = 0; c < classCounts.Count; c++)
            if (classCounts[c] < 0)
                throw new ArgumentOutOfRangeException(nameof(classCounts), $"classCounts[{c}] is {classCounts[c]}; counts must be non-negative.");
        if (size is < 8 or > 64) throw new ArgumentOutOfRangeException(nameof(size), size, "size must lie in 8 to 64 pixels.");
        Guard.InRange(difficulty, 0, 1, nameof(difficulty));

        var prototypes = Prototypes(classCounts.Count, prototypeSeed);
        long n = classCounts.Sum(c => (long)c);
        int pixels = size * size;
        var features = new float[n * pixels];
        var labels = new long[n];
        var rng = Seeds.Legacy(seed);
        var image = new double[pixels];
        long i = 0;
        for (int c = 0; c < classCounts.Count; c++)
            for (int k = 0; k < classCounts[c]; k++, i++)
            {
                labels[i] = c;
                var (strokes, halfWidth) = Deform(prototypes[c], difficulty, rng);
                Render(strokes, halfWidth, size, image);
                double noise = 0.2 * difficulty;
                for (int p = 0; p < pixels; p++)
                {
                    double v = image[p] + (noise > 0 ? noise * RandomSampling.Normal(rng) : 0.0);
                    features[i * pixels + p] = (float)Math.Clamp(v, 0.0, 1.0);
                }
            }
        long[] shape = layout == FeatureLayout.Image ? [n, 1, size, size] : [n, pixels];
        return new LabeledTensors(tensor(features, shape), tensor(labels, [n]));
    }

    /// <summary>The prototypes of classes 0 … C−1 for <paramref name="prototypeSeed"/>; class c's prototype does not depend on C.</summary>
    public static Stroke[][] Prototypes(int numClasses, int prototypeSeed = 0)
    {
        if (numClasses is < 1 or > 200) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must lie in 1 to 200.");
        var rng = Seeds.Legacy(prototypeSeed);
        var result = new List<Stroke[]>();
        var rendered = new List<double[]>();
        const int probe = 16;
        double minDistance = 6.0;                     // squared intensity distance at 16×16 between any two prototypes
        int attempts = 0;
        while (result.Count < numClasses)
        {
            var candidate = RandomPrototype(rng);
            var image = new double[probe * probe];
            Render(candidate, StrokeHalfWidth, probe, image);
            bool distinct = rendered.All(r => SquaredDistance(r, image) >= minDistance);
            if (distinct)
            {
                result.Add(candidate);
                rendered.Add(image);
            }
            else if (++attempts % 2000 == 0) minDistance *= 0.8;   // many classes: relax slowly, never to duplicates
        }
        return result.ToArray();
    }

    /// <summary>
    /// Renders anti-aliased strokes into <paramref name="image"/> (size × size, row-major): the pixel in row r, column q has
    /// its centre at ((q + ½)/size, (r + ½)/size) and intensity max over strokes of clamp((w − distance)·size + ½, 0, 1).
    /// </summary>
    public static void Render(IReadOnlyList<Stroke> strokes, double halfWidth, int size, double[] image)
    {
        for (int r = 0; r < size; r++)
        {
            double y = (r + 0.5) / size;
            for (int q = 0; q < size; q++)
            {
                double x = (q + 0.5) / size;
                double best = 0;
                foreach (var s in strokes)
                {
                    double v = Math.Clamp((halfWidth - DistanceToSegment(x, y, s)) * size + 0.5, 0.0, 1.0);
                    if (v > best) best = v;
                }
                image[r * size + q] = best;
            }
        }
    }

    static Stroke[] RandomPrototype(Random rng)
    {
        static double Coordinate(int k) => 0.2 + 0.2 * k;   // lattice 0.2, 0.4, 0.6, 0.8
        var points = new List<(int X, int Y)> { (rng.Next(4), rng.Next(4)) };
        var strokes = new Stroke[3];
        for (int s = 0; s < strokes.Length; s++)
        {
            var from = points[rng.Next(points.Count)];
            (int X, int Y) to;
            do to = (rng.Next(4), rng.Next(4)); while (to == from);
            points.Add(to);
            strokes[s] = new Stroke(Coordinate(from.X), Coordinate(from.Y), Coordinate(to.X), Coordinate(to.Y));
        }
        return strokes;
    }

    static (Stroke[] Strokes, double HalfWidth) Deform(Stroke[] prototype, double difficulty, Random rng)
    {
        if (difficulty == 0) return (prototype, StrokeHalfWidth);
        double Uniform() => 2 * rng.NextDouble() - 1;
        double angle = difficulty * Math.PI / 6 * Uniform();
        double scale = 1 + 0.25 * difficulty * Uniform();
        double tx = 0.1 * difficulty * Uniform(), ty = 0.1 * difficulty * Uniform();
        double halfWidth = StrokeHalfWidth * (1 + 0.3 * difficulty * Uniform());
        double cos = Math.Cos(angle), sin = Math.Sin(angle), jitter = 0.06 * difficulty;
        (double, double) Map(double x, double y)
        {
            x += jitter * RandomSampling.Normal(rng) - 0.5;
            y += jitter * RandomSampling.Normal(rng) - 0.5;
            return (scale * (cos * x - sin * y) + 0.5 + tx, scale * (sin * x + cos * y) + 0.5 + ty);
        }
        var strokes = new Stroke[prototype.Length];
        for (int s = 0; s < prototype.Length; s++)
        {
            var (x0, y0) = Map(prototype[s].X0, prototype[s].Y0);
            var (x1, y1) = Map(prototype[s].X1, prototype[s].Y1);
            strokes[s] = new Stroke(x0, y0, x1, y1);
        }
        return (strokes, halfWidth);
    }

    static double DistanceToSegment(double x, double y, Stroke s)
    {
        double dx = s.X1 - s.X0, dy = s.Y1 - s.Y0;
        double length2 = dx * dx + dy * dy;
        double t = length2 == 0 ? 0 : Math.Clamp(((x - s.X0) * dx + (y - s.Y0) * dy) / length2, 0.0, 1.0);
        double px = s.X0 + t * dx - x, py = s.Y0 + t * dy - y;
        return Math.Sqrt(px * px + py * py);
    }

    static double SquaredDistance(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
        return sum;
    }
}
