using LossLab.Training;
using LossLab.Distances;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>Retrieval scores averaged over the queries that have at least one relevant reference.</summary>
/// <param name="PrecisionAt1">P@1: the nearest reference has the query's label (DML papers' "Recall@1").</param>
/// <param name="RPrecision">Mean of (relevant among the first R) / R, R = the query's number of relevant references.</param>
/// <param name="MapAtR">MAP@R (Musgrave et al., arXiv:2003.08505): mean of (1/R)·Σ_{i ≤ R, i-th relevant} P@i.</param>
/// <param name="RecallAtK">Recall@K for each requested K: at least one relevant reference among the first K.</param>
/// <param name="QueryCount">Queries scored (those with R ≥ 1).</param>
public sealed record RetrievalScores(double PrecisionAt1, double RPrecision, double MapAtR,
    IReadOnlyDictionary<int, double> RecallAtK, int QueryCount);

/// <summary>Retrieval metrics with pytorch-metric-learning's <c>AccuracyCalculator</c> definitions: neighbours ranked by
/// similarity (cosine by default); with no separate reference set the queries are the reference and each query's own entry
/// is left out; queries whose label has no other reference are not scored. Computed in float64 from k-NN lists taken in
/// chunks of queries, so memory stays O(chunk × references).</summary>
public static class RetrievalMetrics
{
    /// <summary>Scores <paramref name="queries"/> (Q, D) with labels against <paramref name="references"/> (R, D), or against
    /// themselves when <paramref name="references"/> is null.</summary>
    /// <param name="queries">(Q, D) query embeddings.</param>
    /// <param name="queryLabels">(Q) labels.</param>
    /// <param name="references">(R, D) reference embeddings, or null: the queries are the reference set.</param>
    /// <param name="referenceLabels">(R) labels, with <paramref name="references"/>.</param>
    /// <param name="recallAtK">The K of Recall@K (default 1, 2, 4, 8).</param>
    /// <param name="distance">Ranking distance or similarity (default cosine similarity).</param>
    /// <param name="referenceIncludesQueries">A separate reference set that contains each query once: each query's nearest
    /// neighbour (itself) is dropped, as pytorch-metric-learning's <c>ref_includes_query</c>.</param>
    public static RetrievalScores Evaluate(Tensor queries, Tensor queryLabels, Tensor? references = null, Tensor? referenceLabels = null,
        IReadOnlyList<int>? recallAtK = null, IDistance? distance = null, bool referenceIncludesQueries = false)
    {
        var ks = recallAtK ?? [1, 2, 4, 8];
        if (ks.Count == 0 || ks.Any(k => k < 1))
            throw new ArgumentOutOfRangeException(nameof(recallAtK), "every K of Recall@K must be at least 1.");
        Guard.EmbeddingsAndLabels(queries, queryLabels, nameof(queries), nameof(queryLabels));
        if (references is null != referenceLabels is null)
            throw new ArgumentException("references and referenceLabels must be given together.", references is null ? nameof(references) : nameof(referenceLabels));
        if (references is not null)
        {
            Guard.EmbeddingsAndLabels(references, referenceLabels!, nameof(references), nameof(referenceLabels));
            if (references.shape[1] != queries.shape[1])
                throw new ArgumentException($"references must have the embedding size of queries: queries is {Guard.Shape(queries)}, references is {Guard.Shape(references)}.",
                    nameof(references));
        }
        var reference = references is null ? queries : Trainer.OnDevice(references, queries.device);   // any device: scored on the queries'
        var refLabels = referenceLabels;
        bool selfIsReference = references is null;
        bool dropFirst = selfIsReference || referenceIncludesQueries;
        var qy = queryLabels.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        var ry = (refLabels ?? queryLabels).to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        var counts = ry.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        int maxR = counts.Count == 0 ? 0 : counts.Values.Max() - (dropFirst ? 1 : 0);
        int depth = Math.Min(ry.Length - (dropFirst ? 1 : 0), Math.Max(ks.Max(), Math.Max(maxR, 1)));
        distance ??= new CosineSimilarity();

        double p1 = 0, rp = 0, map = 0; var recall = new double[ks.Count]; int scored = 0;
        const int chunk = 512;
        using (torch.no_grad())
            for (long start = 0; start < qy.Length; start += chunk)
            {
                long end = Math.Min(qy.Length, start + chunk);
                var m = distance.Pairwise(queries.narrow(0, start, end - start), reference);
                var score = distance.IsSimilarity ? m : -m;
                if (selfIsReference)
                {
                    var rows = torch.arange(start, end, dtype: ScalarType.Int64, device: score.device);
                    var self = torch.arange(score.shape[1], dtype: ScalarType.Int64, device: score.device).unsqueeze(0).eq(rows.unsqueeze(1));
                    score = score.masked_fill(self, TorchScalars.NegativeInfinity);
                }
                int take = Math.Max(0, depth) + (referenceIncludesQueries && !selfIsReference ? 1 : 0);
                if (take == 0) continue;
                var idx = score.topk(take, 1, largest: true, sorted: true).indexes.cpu().data<long>().ToArray();
                for (long q = start; q < end; q++)
                {
                    int r = counts.GetValueOrDefault(qy[q]) - (dropFirst ? 1 : 0);
                    if (r < 1) continue;
                    int offset = referenceIncludesQueries && !selfIsReference ? 1 : 0;
                    var rel = new bool[depth];
                    for (int i = 0; i < depth; i++) rel[i] = ry[idx[(q - start) * take + offset + i]] == qy[q];
                    scored++;
                    p1 += rel[0] ? 1 : 0;
                    int hits = 0; double ap = 0;
                    for (int i = 0; i < r; i++)
                        if (rel[i]) { hits++; ap += (double)hits / (i + 1); }
                    rp += (double)hits / r;
                    map += ap / r;
                    for (int j = 0; j < ks.Count; j++)
                        recall[j] += rel.Take(Math.Min(ks[j], depth)).Any(v => v) ? 1 : 0;
                }
            }
        double Avg(double v) => scored == 0 ? 0 : v / scored;
        return new RetrievalScores(Avg(p1), Avg(rp), Avg(map),
            ks.Select((k, j) => (k, v: Avg(recall[j]))).ToDictionary(t => t.k, t => t.v), scored);
    }

    /// <summary>MAP@R of one query from its ranked relevance list and R (pytorch-metric-learning's definition).</summary>
    public static double AveragePrecisionAtR(IReadOnlyList<bool> rankedRelevance, int r)
    {
        if (r < 1) throw new ArgumentOutOfRangeException(nameof(r), r, "R must be at least 1.");
        if (rankedRelevance.Count < r)
            throw new ArgumentException($"rankedRelevance must list at least R = {r} neighbours; got {rankedRelevance.Count}.", nameof(rankedRelevance));
        int hits = 0; double ap = 0;
        for (int i = 0; i < r; i++)
            if (rankedRelevance[i]) { hits++; ap += (double)hits / (i + 1); }
        return ap / r;
    }
}
