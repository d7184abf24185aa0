using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Pipeline;

namespace DocumentProcessor;

/// <summary>
/// POST /ask with <c>{ "question": …, "documentId"?: …, "tag"?: … }</c>: finds the best chunks
/// (hybrid search when the app has vectors, else keyword search for any of the question's words)
/// and answers from them — with the chat model when <c>Mindora:Chat</c> configures one, citing the
/// passages it used, and otherwise with the passages themselves, saying so.
/// </summary>
public static partial class AskApi
{
    /// <summary>The longest question accepted.</summary>
    public const int MaxQuestionLength = 2000;

    /// <summary>The start of an answer given without a model.</summary>
    public const string NoModelPreamble = "No chat model is configured (Mindora:Chat:Endpoint), so these are the most relevant passages, not a written answer:";

    /// <summary>The answer when no passage matches.</summary>
    public const string NothingFound = "Nothing in the documents matches the question.";

    /// <summary>Maps the endpoint.</summary>
    public static WebApplication MapAskApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/ask", AskAsync);
        return app;
    }

    private static async Task<IResult> AskAsync(AskRequest? request, DocumentChunkIndex index, IServiceProvider services, IOptions<DocumentApiOptions> options, CancellationToken cancellationToken)
    {
        var question = request?.Question?.Trim();
        if (string.IsNullOrEmpty(question))
        {
            return DocumentApi.Problem(StatusCodes.Status400BadRequest, "No question", "Send { \"question\": \"…\" }.");
        }

        if (question.Length > MaxQuestionLength)
        {
            return DocumentApi.Problem(StatusCodes.Status400BadRequest, "Question too long", $"The question has {question.Length} characters; at most {MaxQuestionLength} are allowed.");
        }

        if (request!.DocumentId is { } documentId && !DocumentCatalog.IsValidId(documentId))
        {
            return DocumentApi.Problem(StatusCodes.Status400BadRequest, "Invalid document id", $"'{SearchApi.Printable(documentId)}' is not a document id: 32 lowercase hex characters are expected.");
        }

        var filter = new ChunkFilter(request.DocumentId, string.IsNullOrWhiteSpace(request.Tag) ? null : DocumentTags.Check(request.Tag));
        var mode = index.HasVectors ? ChunkSearchMode.Hybrid : ChunkSearchMode.Keyword;
        var passages = await index.SearchAsync(question, mode, filter, options.Value.AskPassages, anyWord: true, minSimilarity: options.Value.AskMinSimilarity, cancellationToken);
        if (passages.Count == 0)
        {
            return Results.Ok(new AskResponse(NothingFound, false, []));
        }

        var chat = services.GetService<IChatClient>();
        if (chat is null)
        {
            var answer = new StringBuilder(NoModelPreamble);
            for (var i = 0; i < passages.Count; i++)
            {
                answer.Append(CultureInfo.InvariantCulture, $"\n\n[{i + 1}] {passages[i].Title}{Where(passages[i])}: {passages[i].Text}");
            }

            return Results.Ok(new AskResponse(answer.ToString(), false, passages.Select(Citation.From).ToList()));
        }

        var response = await chat.GetResponseAsync(Prompt(question, passages), new ChatOptions { Temperature = 0 }, cancellationToken);
        var cited = CitationRegex().Matches(response.Text)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - 1)
            .Where(i => i >= 0 && i < passages.Count)
            .Distinct()
            .Select(i => passages[i])
            .ToList();

        // A model that cites nothing still answered from these passages.
        return Results.Ok(new AskResponse(response.Text, true, (cited.Count > 0 ? cited : passages).Select(Citation.From).ToList()));
    }

    private static List<ChatMessage> Prompt(string question, IReadOnlyList<ChunkHit> passages)
    {
        var context = new StringBuilder();
        for (var i = 0; i < passages.Count; i++)
        {
            context.Append(CultureInfo.InvariantCulture, $"[{i + 1}] ({passages[i].Title}{Where(passages[i])})\n{passages[i].Text}\n\n");
        }

        return
        [
            new(ChatRole.System, "Answer the question using only the numbered passages. Cite the passages you use as [1], [2]. If the passages do not contain the answer, say so."),
            new(ChatRole.User, $"Passages:\n\n{context}Question: {question}"),
        ];
    }

    private static string Where(ChunkHit hit) =>
        (hit.Page is { } page ? string.Create(CultureInfo.InvariantCulture, $", page {page}") : string.Empty) + (hit.Section is { } section ? $", {section}" : string.Empty);

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex CitationRegex();
}

/// <summary>The body of POST /ask.</summary>
/// <param name="Question">What to answer, 1 to 2,000 characters.</param>
/// <param name="DocumentId">Only from this document, when set.</param>
/// <param name="Tag">Only from documents with this tag, when set.</param>
public sealed record AskRequest(string? Question, string? DocumentId = null, string? Tag = null);

/// <summary>A passage an answer is based on.</summary>
public sealed record Citation(string DocumentId, int Chunk, int? Page, string Title, string? Section)
{
    /// <summary>Maps a chunk hit.</summary>
    public static Citation From(ChunkHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        return new(hit.DocumentId, hit.Chunk, hit.Page, hit.Title, hit.Section);
    }
}

/// <summary>The answer to POST /ask.</summary>
/// <param name="Answer">The model's answer, or the best passages with a sentence saying no model answered.</param>
/// <param name="FromModel">Whether a chat model wrote the answer.</param>
/// <param name="Citations">The passages the answer is based on.</param>
public sealed record AskResponse(string Answer, bool FromModel, IReadOnlyList<Citation> Citations);
