using LossLab.Evaluation;
using TorchSharp;
using static LossLab.Tests.Losses.Pairs.PairReference;
using static TorchSharp.torch;

namespace LossLab.Tests.Evaluation;

public class RetrievalMetricsTests
{
    static double[][] OnCircle(params double[] degrees) =>
        degrees.Select(d => new[] { Math.Cos(d * Math.PI / 180), Math.Sin(d * Math.PI / 180) }).ToArray();

    /// <summary>Explicit loop: rank every reference by cosine (skipping the query itself when it is the reference).</summary>
    static (double P1, double RP, double Map, double[] Recall, int N) Reference(double[][] q, long[] qy, double[][] r, long[] ry, bool self, int[] ks)
    {
        double p1 = 0, rp = 0, map = 0; var rec = new double[ks.Length]; int n = 0;
        for (int i = 0; i < q.Length; i++)
        {
            var order = Enumerable.Range(0, r.Length).Where(j => !(self && j == i)).OrderByDescending(j => Cosine(q[i], r[j])).ToArray();
            var rel = order.Select(j => ry[j] == qy[i]).ToArray();
            int R = rel.Count(v => v);
            if (R == 0) continue;
            n++;
            p1 += rel[0] ? 1 : 0;
            rp += rel.Take(R).Count(v => v) / (double)R;
            double ap = 0; int hits = 0;
            for (int k = 0; k < R; k++) if (rel[k]) { hits++; ap += hits / (k + 1.0); }
            map += ap / R;
            for (int k = 0; k < ks.Length; k++) rec[k] += rel.Take(ks[k]).Any(v => v) ? 1 : 0;
        }
        return (p1 / n, rp / n, map / n, rec.Select(v => v / n).ToArray(), n);
    }

    [Fact]
    public void Hand_built_case_on_the_circle()
    {
        // angles 0, 12, 20, 30, 100, 110 with labels A A B A B B.
        var x = OnCircle(0, 12, 20, 30, 100, 110);
        long[] y = [0, 0, 1, 0, 1, 1];
        var scores = RetrievalMetrics.Evaluate(ToTensor(x, ScalarType.Float64), Labels(y), recallAtK: [1, 2]);
        // query 0: ranked 12(A) 20(B) 30(A), R = 2 → P@1 1, R-prec 1/2, AP@R (1)/2 = 1/2 (the hit at rank 3 is beyond R)
        // query 1 (12°): 20(B) 0(A) 30(A) → 0, 1/2, (1/2)/2 = 1/4
        // query 2 (20°, B): 12(A) 30(A) 0(A) 100(B) 110(B) → 0, 0, 0 (R = 2, no hits in the first 2)
        // query 3 (30°, A): 20(B) 12(A) 0(A) → 0, 1/2, 1/4
        // query 4 (100°, B): 110(B) → 1, 1/2 (R = 2: 110 B, 30 A), AP (1)/2 = 1/2
        // query 5 (110°, B): 100(B), 30(A), 20(B) → 1, 1/2, 1/2
        Assert.Equal(6, scores.QueryCount);
        Assert.Equal(3 / 6.0, scores.PrecisionAt1, 12);
        Assert.Equal((0.5 + 0.5 + 0 + 0.5 + 0.5 + 0.5) / 6, scores.RPrecision, 12);
        Assert.Equal((0.5 + 0.25 + 0 + 0.25 + 0.5 + 0.5) / 6, scores.MapAtR, 12);
        Assert.Equal(3 / 6.0, scores.RecallAtK[1], 12);
        Assert.Equal(5 / 6.0, scores.RecallAtK[2], 12);
        Assert.Equal(0.5, RetrievalMetrics.AveragePrecisionAtR([true, false, true], 2), 12);
        Assert.Equal((1 + 2 / 3.0) / 3, RetrievalMetrics.AveragePrecisionAtR([true, false, true], 3), 12);
    }

    [Fact]
    public void Matches_an_explicit_loop_with_the_query_set_as_reference()
    {
        var x = RandomEmbeddings(40, 4, 301);
        var y = Enumerable.Range(0, 40).Select(i => (long)(i % 5)).Append(9).ToArray();   // label 9: one sample, not scored
        x = x.Append(RandomEmbeddings(1, 4, 302)[0]).ToArray();
        int[] ks = [1, 3, 10];
        var expected = Reference(x, y, x, y, self: true, ks);
        var s = RetrievalMetrics.Evaluate(ToTensor(x, ScalarType.Float32), Labels(y), recallAtK: ks);
        Assert.Equal(40, s.QueryCount);
        Assert.Equal(expected.N, s.QueryCount);
        Assert.Equal(expected.P1, s.PrecisionAt1, 12);
        Assert.Equal(expected.RP, s.RPrecision, 12);
        Assert.Equal(expected.Map, s.MapAtR, 12);
        for (int k = 0; k < ks.Length; k++) Assert.Equal(expected.Recall[k], s.RecallAtK[ks[k]], 12);
    }

    [Fact]
    public void Matches_an_explicit_loop_with_a_separate_reference_set()
    {
        var q = RandomEmbeddings(12, 3, 303); var r = RandomEmbeddings(30, 3, 304);
        var qy = Enumerable.Range(0, 12).Select(i => (long)(i % 4)).ToArray();
        var ry = Enumerable.Range(0, 30).Select(i => (long)(i % 3)).ToArray();   // label 3: no reference, not scored
        var expected = Reference(q, qy, r, ry, self: false, [1, 5]);
        var s = RetrievalMetrics.Evaluate(ToTensor(q, ScalarType.Float64), Labels(qy), ToTensor(r, ScalarType.Float64), Labels(ry), [1, 5]);
        Assert.Equal(9, s.QueryCount);
        Assert.Equal(expected.P1, s.PrecisionAt1, 12);
        Assert.Equal(expected.RP, s.RPrecision, 12);
        Assert.Equal(expected.Map, s.MapAtR, 12);
        Assert.Equal(expected.Recall[1], s.RecallAtK[5], 12);

        // a reference that contains the queries: the queries' own copies are dropped, which equals the self-reference case.
        var withQueries = q.Concat(r).ToArray(); var withLabels = qy.Concat(ry).ToArray();
        var inside = RetrievalMetrics.Evaluate(ToTensor(q, ScalarType.Float64), Labels(qy), ToTensor(withQueries, ScalarType.Float64),
            Labels(withLabels), [1, 5], referenceIncludesQueries: true);
        var expectedInside = Reference(q, qy, withQueries, withLabels, self: true, [1, 5]);
        Assert.Equal(expectedInside.Map, inside.MapAtR, 12);
        Assert.Equal(expectedInside.P1, inside.PrecisionAt1, 12);
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        var e = ToTensor(RandomEmbeddings(4, 3, 305), ScalarType.Float32);
        Assert.Equal("queryLabels", Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate(e, Labels(0, 1))).ParamName);
        Assert.Equal("references", Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate(e, Labels(0, 0, 1, 1), ToTensor(RandomEmbeddings(2, 2, 1), ScalarType.Float32), Labels(0, 1))).ParamName);
        Assert.Equal("referenceLabels", Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate(e, Labels(0, 0, 1, 1), e)).ParamName);
        Assert.Equal("recallAtK", Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalMetrics.Evaluate(e, Labels(0, 0, 1, 1), recallAtK: [0])).ParamName);
        Assert.Equal("r", Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalMetrics.AveragePrecisionAtR([true], 0)).ParamName);
        Assert.Equal("rankedRelevance", Assert.Throws<ArgumentException>(() => RetrievalMetrics.AveragePrecisionAtR([true], 2)).ParamName);
    }
}
