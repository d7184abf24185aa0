using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Pipeline;

namespace Mindora.Integrations.Tests.Ingestion.Pipeline;

public sealed class DocumentStepsAndTagsTests
{
    [Fact]
    public void Steps_not_recorded_are_pending_and_restarting_a_step_resets_the_later_ones()
    {
        var steps = DocumentSteps.With(null, DocumentSteps.Extract, DocumentSteps.Done);
        steps = DocumentSteps.With(steps, DocumentSteps.Embed, DocumentSteps.Done);

        Assert.Equal("extract=done;partition=pending;embed=done;save=pending", steps);
        Assert.Equal(
            "extract=running;partition=pending;embed=pending;save=pending",
            DocumentSteps.With(steps, DocumentSteps.Extract, DocumentSteps.Running));
        Assert.Equal(DocumentSteps.Pending, DocumentSteps.Parse("garbage;;=x")[DocumentSteps.Save]);
    }

    [Fact]
    public void Tags_are_trimmed_lowercased_and_deduplicated()
    {
        Assert.Equal("finance,q3-2026,报告", DocumentTags.Normalize(" Finance, q3-2026 ,,FINANCE,报告"));
        Assert.Null(DocumentTags.Normalize("  , "));
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("x'; DROP TABLE documents;--")]
    [InlineData("../etc")]
    [InlineData("a,b,c,d,e,f,g,h,i,j,k")]
    public void Tags_breaking_the_rule_are_refused_saying_what_is_allowed(string tags)
    {
        var e = Assert.Throws<MindoraValidationException>(() => DocumentTags.Normalize(tags));
        Assert.Contains(DocumentTags.Rule, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rank_fusion_adds_reciprocal_ranks_so_a_chunk_found_by_both_lists_wins()
    {
        ChunkHit Hit(string doc, int chunk) => new(doc, chunk, "t", "t", null, null, "h", "x", 0);
        IReadOnlyList<ChunkHit> keyword = [Hit("a", 0), Hit("b", 0), Hit("c", 0)];
        IReadOnlyList<ChunkHit> semantic = [Hit("d", 0), Hit("c", 0)];

        var fused = DocumentChunkIndex.Fuse(keyword, semantic, 3);

        Assert.Equal(["c", "a", "d"], fused.Select(h => h.DocumentId));
        Assert.Equal((1.0 / 63) + (1.0 / 62), fused[0].Score, 12);
        Assert.Equal(1.0 / 61, fused[1].Score, 12);
    }
}
