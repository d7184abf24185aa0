using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Pipeline;

namespace Mindora.Integrations.Tests.Ingestion.Pipeline;

public sealed class TextPartitionerTests
{
    private const string Id = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Short_text_is_one_chunk_with_a_stable_id()
    {
        var chunks = Partitioner(100, 10).Partition(Id, new ExtractedText("T", "One short paragraph."));

        var chunk = Assert.Single(chunks);
        Assert.Equal($"{Id}-0", chunk.Id);
        Assert.Equal("One short paragraph.", chunk.Text);
        Assert.Null(chunk.Section);
        Assert.Null(chunk.Page);
    }

    [Fact]
    public void Long_text_is_cut_into_chunks_no_larger_than_the_limit_that_overlap_and_cover_every_word()
    {
        var words = Enumerable.Range(0, 400).Select(i => $"w{i:D3}").ToList();
        var text = string.Join(' ', words.Chunk(10).Select(s => string.Join(' ', s) + "."));

        var chunks = Partitioner(50, 10).Partition(Id, new ExtractedText(null, text));

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.True(TokenEstimate.Count(c.Text) <= 50, $"chunk {c.Index} has {TokenEstimate.Count(c.Text)} tokens"));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Index));
        Assert.All(words, w => Assert.Contains(chunks, c => c.Text.Contains(w, StringComparison.Ordinal)));
        for (var i = 1; i < chunks.Count; i++)
        {
            // The next chunk starts with the end of the one before.
            var firstWord = chunks[i].Text.Split(' ')[0].TrimEnd('.');
            Assert.Contains(firstWord, chunks[i - 1].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Overlap_of_zero_repeats_nothing()
    {
        var text = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"x{i:D3}."));

        var chunks = Partitioner(40, 0).Partition(Id, new ExtractedText(null, text));

        var all = chunks.SelectMany(c => c.Text.Split(' ')).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(300, all.Count);
    }

    [Fact]
    public void Markdown_headings_become_the_section_path_of_their_chunks()
    {
        var extracted = new ExtractedText("Guide", "Guide\nIntro text.\nInstall\nRun the installer.\nLinux\nUse the package.\nUsage\nCall it.")
        {
            Headings = [new(1, "Guide"), new(2, "Install"), new(3, "Linux"), new(2, "Usage")],
        };

        var chunks = Partitioner(100, 10).Partition(Id, extracted);

        Assert.Equal(["Guide", "Guide › Install", "Guide › Install › Linux", "Guide › Usage"], chunks.Select(c => c.Section));
        Assert.Equal("Install\nRun the installer.", chunks[1].Text);
        Assert.Equal("Guide › Install › Linux\nLinux\nUse the package.", chunks[2].EmbeddingText);
    }

    [Fact]
    public void Pdf_pages_are_carried_to_chunks_and_no_chunk_spans_two_pages()
    {
        var extracted = new ExtractedText(null, "First page text.\n\f\nSecond page text.\n\f\nThird page.") { Pages = 3 };

        var chunks = Partitioner(100, 10).Partition(Id, extracted);

        Assert.Equal([1, 2, 3], chunks.Select(c => c.Page));
        Assert.Equal("Second page text.", chunks[1].Text);
    }

    [Fact]
    public void Empty_leading_pages_keep_the_page_numbers_of_the_pages_after_them()
    {
        var extracted = new ExtractedText(null, "\f\n\n\f\nThird page only.") { Pages = 3 };

        var chunk = Assert.Single(Partitioner(100, 10).Partition(Id, extracted));

        Assert.Equal(3, chunk.Page);
    }

    [Fact]
    public void Chinese_text_without_spaces_is_cut_between_characters()
    {
        var text = string.Concat(Enumerable.Repeat("向量数据库支持语义搜索", 30));

        var chunks = Partitioner(32, 4).Partition(Id, new ExtractedText(null, text));

        Assert.True(chunks.Count >= 10);
        Assert.All(chunks, c => Assert.True(TokenEstimate.Count(c.Text) <= 32));
        Assert.StartsWith(chunks[0].Text[^4..], chunks[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_of_letters_longer_than_a_chunk_is_cut_inside()
    {
        var blob = new string('a', 1000);

        var chunks = Partitioner(16, 0).Partition(Id, new ExtractedText(null, blob));

        Assert.Equal(blob, string.Concat(chunks.Select(c => c.Text)));
        Assert.All(chunks, c => Assert.True(TokenEstimate.Count(c.Text) <= 16));
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(100, 60)]
    [InlineData(100, -1)]
    [InlineData(10_000, 10)]
    public void Sizes_out_of_range_are_a_configuration_error(int chunk, int overlap)
    {
        var e = Assert.Throws<MindoraConfigurationException>(() => Partitioner(chunk, overlap));
        Assert.Contains("ChunkTokens", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello", 2)]
    [InlineData("hello, world", 5)]
    [InlineData("向量数据库", 5)]
    [InlineData("   ", 0)]
    public void Token_estimate_counts_runs_by_four_characters_cjk_by_character_and_punctuation_by_one(string text, int tokens) =>
        Assert.Equal(tokens, TokenEstimate.Count(text));

    private static TextPartitioner Partitioner(int chunk, int overlap) => new(new IngestionOptions { ChunkTokens = chunk, OverlapTokens = overlap });
}
