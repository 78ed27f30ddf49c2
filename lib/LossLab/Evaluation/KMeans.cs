using LossLab.Training;

namespace LossLab.Evaluation;

/// <summary>Seeded k-means (Lloyd's iterations from a k-means++ start; Arthur and Vassilvitskii, SODA 2007) on float64
/// points. The same seed gives the same clusters; an empty cluster is re-seeded with the point farthest from its centre.</summary>
public static class KMeans
{
    /// <summary>Cluster assignments in [0, k) for each point, from the best (lowest within-cluster sum of squares) of
    /// <paramref name="restarts"/> runs.</summary>
    /// <param name="points">N points of equal dimension.</param>
    /// <param name="k">Clusters, 1 ≤ k ≤ N.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="iterations">Lloyd iterations per run (20, faiss's default used by pytorch-metric-learning).</param>
    /// <param name="restarts">Independent k-means++ starts (1).</param>
    public static int[] Cluster(IReadOnlyList<double[]> points, int k, int seed = 0, int iterations = 20, int restarts = 1)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException("points must not be empty.", nameof(points));
        int d = points[0].Length;
        if (points.Any(p => p.Length != d)) throw new ArgumentException("points must all have the same dimension.", nameof(points));
        if (k < 1 || k > points.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {points.Count}].");
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "iterations must be positive.");
        if (restarts < 1) throw new ArgumentOutOfRangeException(nameof(restarts), restarts, "restarts must be positive.");
        var random = Seeds.Legacy(seed);
        int[]? best = null; double bestCost = double.PositiveInfinity;
        for (int r = 0; r < restarts; r++)
        {
            var (assign, cost) = Run(points, k, iterations, random);
            if (cost < bestCost) { bestCost = cost; best = assign; }
        }
        return best!;
    }

    static double Sq(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) { var t = a[i] - b[i]; s += t * t; }
        return s;
    }

    static (int[] Assign, double Cost) Run(IReadOnlyList<double[]> x, int k, int iterations, Random random)
    {
        int n = x.Count, d = x[0].Length;
        var centres = new double[k][];
        centres[0] = (double[])x[random.Next(n)].Clone();
        var nearest = x.Select(p => Sq(p, centres[0])).ToArray();
        for (int c = 1; c < k; c++)
        {
            double total = nearest.Sum(), u = random.NextDouble() * total;
            int pick = n - 1;
            for (int i = 0; i < n && total > 0; i++) { u -= nearest[i]; if (u <= 0) { pick = i; break; } }
            if (total == 0) pick = random.Next(n);
            centres[c] = (double[])x[pick].Clone();
            for (int i = 0; i < n; i++) nearest[i] = Math.Min(nearest[i], Sq(x[i], centres[c]));
        }
        var assign = new int[n];
        for (int it = 0; it < iterations; it++)
        {
            bool changed = false;
            for (int i = 0; i < n; i++)
            {
                int bi = 0; double bd = double.PositiveInfinity;
                for (int c = 0; c < k; c++) { var dd = Sq(x[i], centres[c]); if (dd < bd) { bd = dd; bi = c; } }
                if (assign[i] != bi || it == 0) { changed |= assign[i] != bi; assign[i] = bi; }
            }
            var sums = new double[k, d]; var counts = new int[k];
            for (int i = 0; i < n; i++) { counts[assign[i]]++; for (int j = 0; j < d; j++) sums[assign[i], j] += x[i][j]; }
            for (int c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    int far = Enumerable.Range(0, n).MaxBy(i => Sq(x[i], centres[assign[i]]));
                    centres[c] = (double[])x[far].Clone();
                    assign[far] = c;
                    changed = true;
                    continue;
                }
                for (int j = 0; j < d; j++) centres[c][j] = sums[c, j] / counts[c];
            }
            if (!changed && it > 0) break;
        }
        double cost = 0;
        for (int i = 0; i < n; i++) cost += Sq(x[i], centres[assign[i]]);
        return (assign, cost);
    }
}
