using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Tasks;

namespace DocumentProcessor.Tests;

/// <summary>POST /documents and GET /documents/{id} without a worker: what is accepted, what is refused, what is stored.</summary>
public sealed class DocumentUploadTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly Uri Documents = new("/documents", UriKind.Relative);
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Text_upload_is_accepted_with_its_location_and_a_queued_status()
    {
        using var response = await _client.UploadAsync("Meeting notes\nThe budget was approved.", "notes.txt");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = document.GetProperty("id").GetString();
        Assert.True(DocumentCatalog.IsValidId(id), $"'{id}' is not a document id");
        Assert.Equal($"/documents/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("queued", document.GetProperty("status").GetString());
        Assert.Equal("notes.txt", document.GetProperty("fileName").GetString());
        Assert.Equal("text/plain", document.GetProperty("contentType").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount("Meeting notes\nThe budget was approved."), document.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task Uploaded_document_is_returned_at_its_location()
    {
        using var upload = await _client.UploadAsync("Quarterly figures", "figures.txt");
        var accepted = await upload.Content.ReadFromJsonAsync<JsonElement>();

        using var response = await _client.GetAsync(upload.Headers.Location!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(accepted.GetProperty("id").GetString(), document.GetProperty("id").GetString());
        Assert.Equal("queued", document.GetProperty("status").GetString());
        Assert.Equal("figures", document.GetProperty("title").GetString());
        Assert.Equal("figures.txt", document.GetProperty("fileName").GetString());
        Assert.Equal(JsonValueKind.Null, document.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Accepted_upload_stores_original_and_record_and_enqueues_one_extract_task()
    {
        var before = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);

        var document = await _client.UploadAcceptedAsync("Plain text body", "stored.txt");

        var id = document.GetProperty("id").GetString()!;
        var after = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);
        Assert.Equal([DocumentCatalog.OriginalKey(id)], after.ObjectKeys.Except(before.ObjectKeys));
        Assert.Equal([id], after.DocumentRows.Except(before.DocumentRows));
        Assert.Equal(before.AuditRows + 1, after.AuditRows);
        var task = Assert.Single(after.Tasks, t => before.Tasks.All(b => b.Id != t.Id));
        Assert.Equal(IngestionTaskNames.ExtractText, task.Name);
        Assert.Equal(MindoraTaskStatus.Queued, task.Status);
        Assert.Equal(id, JsonDocument.Parse(task.PayloadJson).RootElement.GetProperty("documentId").GetString());
    }

    [Fact]
    public async Task Accepted_upload_has_a_history_of_one_audited_insert()
    {
        var document = await _client.UploadAcceptedAsync("Audited text", "audited.txt");

        var history = await _client.GetFromJsonAsync<JsonElement>(new Uri($"/documents/{document.GetProperty("id").GetString()}/history", UriKind.Relative));

        var insert = Assert.Single(history.EnumerateArray());
        Assert.Equal("insert", insert.GetProperty("operation").GetString());
        Assert.Equal("system", insert.GetProperty("user").GetString());
        Assert.Equal("audited.txt", insert.GetProperty("changes").GetProperty("FileName").GetString());
        Assert.Equal("Queued", insert.GetProperty("changes").GetProperty("Status").GetString());
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not-an-id")]
    public async Task History_of_an_unknown_document_is_a_404_problem(string id)
    {
        using var response = await _client.GetAsync($"/documents/{id}/history");

        await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Markdown_upload_is_stored_as_markdown()
    {
        var document = await _client.UploadAcceptedAsync("# Title\n\nBody", "readme.md");

        Assert.Equal("text/markdown", document.GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task A_path_in_the_file_name_is_reduced_to_its_last_segment()
    {
        var document = await _client.UploadAcceptedAsync("Some text", @"..\..\secret\report.txt");

        Assert.Equal("report.txt", document.GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task A_long_file_name_is_shortened_but_keeps_its_extension()
    {
        var document = await _client.UploadAcceptedAsync("Some text", new string('n', 300) + ".txt");

        var fileName = document.GetProperty("fileName").GetString()!;
        Assert.EndsWith(".txt", fileName, StringComparison.Ordinal);
        Assert.True(fileName.Length <= 200, $"{fileName.Length} characters");
        Assert.Equal("text/plain", document.GetProperty("contentType").GetString());
    }

    [Theory]
    [InlineData(195)]
    [InlineData(196)]
    [InlineData(197)]
    public async Task A_long_file_name_is_not_cut_inside_a_character(int prefixLength)
    {
        var name = new string('n', prefixLength) + string.Concat(Enumerable.Repeat("\U0001F600", 60)) + ".md";

        var document = await _client.UploadAcceptedAsync("# Smile", name);

        var fileName = document.GetProperty("fileName").GetString()!;
        Assert.EndsWith(".md", fileName, StringComparison.Ordinal);
        Assert.True(fileName.Length <= 200, $"{fileName.Length} characters");
        Assert.DoesNotContain('\uFFFD', fileName);
        Assert.True(fileName.EnumerateRunes().All(r => r != Rune.ReplacementChar), "a lone surrogate was kept");
        _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(fileName);
    }

    [Fact]
    public async Task A_file_named_only_by_its_extension_is_titled_by_its_file_name()
    {
        var document = await _client.UploadAcceptedAsync("Some text", ".txt");

        Assert.Equal(".txt", document.GetProperty("fileName").GetString());
        Assert.Equal(".txt", document.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Upload_of_exactly_the_size_limit_is_accepted()
    {
        var document = await _client.UploadAcceptedAsync(new string('a', (int)ApiFixture.MaxUploadBytes), "limit.txt");

        Assert.Equal(ApiFixture.MaxUploadBytes, document.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task Empty_upload_is_a_400_problem_and_nothing_is_stored()
    {
        var before = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);

        using var response = await _client.UploadAsync(string.Empty, "empty.txt");

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("empty", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        await StoreSnapshot.AssertUnchangedAsync(before, fixture.Services, fixture.Store);
    }

    [Theory]
    [InlineData("setup.exe", "application/octet-stream", "MZ\u0090\u0000\u0003")]
    [InlineData("setup.exe", null, "MZ")]
    [InlineData("paper.pdf", "text/plain", "%PDF-1.7")]
    [InlineData("notes.txt", "application/pdf", "hello")]
    [InlineData("noextension", "image/png", "hello")]
    public async Task Unsupported_type_is_a_415_problem_naming_the_allowed_types_and_nothing_is_stored(string fileName, string? contentType, string content)
    {
        var before = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);

        using var response = await _client.UploadAsync(content, fileName, contentType);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(".txt", detail, StringComparison.Ordinal);
        Assert.Contains(".md", detail, StringComparison.Ordinal);
        Assert.Contains("text/plain", detail, StringComparison.Ordinal);
        await StoreSnapshot.AssertUnchangedAsync(before, fixture.Services, fixture.Store);
    }

    [Theory]
    [InlineData("paper.pdf", "application/pdf", "application/pdf")]
    [InlineData("report.docx", null, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("budget.xlsx", "application/octet-stream", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public async Task PDF_Word_and_Excel_uploads_are_accepted_and_checked_by_the_worker(string fileName, string? declared, string stored)
    {
        // Their bytes are read by the worker: a damaged file ends the document failed, with the reason.
        using var response = await _client.UploadAsync("%PDF-1.7 or a zip, the worker will tell", fileName, declared);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(stored, document.GetProperty("contentType").GetString());
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1 })]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x68, 0x69, 0x00, 0x68, 0x69 })]
    public async Task Binary_bytes_named_txt_are_a_415_problem_and_nothing_is_stored(byte[] bytes)
    {
        var before = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);

        using var form = Http.FileForm(bytes, "innocent.txt", "text/plain");
        using var response = await _client.PostAsync(Documents, form);

        await Http.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        await StoreSnapshot.AssertUnchangedAsync(before, fixture.Services, fixture.Store);
    }

    [Fact]
    public async Task Upload_over_the_size_limit_is_a_413_problem_and_nothing_is_stored()
    {
        var before = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);

        using var response = await _client.UploadAsync(new string('a', (int)ApiFixture.MaxUploadBytes + 1), "big.txt");

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains(ApiFixture.MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await StoreSnapshot.AssertUnchangedAsync(before, fixture.Services, fixture.Store);
    }

    [Fact]
    public async Task Upload_far_over_the_size_limit_is_a_413_problem_and_nothing_is_stored()
    {
        var before = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);

        // Larger than the form limit (the upload limit plus 1 MiB): refused while the form is read.
        using var response = await _client.UploadAsync(new string('a', 3 * 1024 * 1024), "huge.txt");

        await Http.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await StoreSnapshot.AssertUnchangedAsync(before, fixture.Services, fixture.Store);
    }

    [Fact]
    public async Task Upload_far_over_the_size_limit_without_a_content_length_is_a_413_problem_and_nothing_is_stored()
    {
        var before = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);

        // Sent without Content-Length: the limit is found while the form is read, not up front.
        using var form = Http.FileForm(new string('a', 3 * 1024 * 1024), "huge.txt");
        using var chunked = new Http.UnknownLengthContent(form);
        using var request = new HttpRequestMessage(HttpMethod.Post, Documents) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _client.SendAsync(request);

        await Http.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await StoreSnapshot.AssertUnchangedAsync(before, fixture.Services, fixture.Store);
    }

    [Fact]
    public async Task Upload_without_a_file_field_is_a_400_problem_and_nothing_is_stored()
    {
        var before = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);

        using var form = Http.FileForm(Encoding.UTF8.GetBytes("text"), "notes.txt", "text/plain", field: "document");
        form.Add(new StringContent("value"), "file");
        using var response = await _client.PostAsync(Documents, form);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("'file'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await StoreSnapshot.AssertUnchangedAsync(before, fixture.Services, fixture.Store);
    }

    [Theory]
    [InlineData("text/plain", "just text")]
    [InlineData("application/json", "{\"file\":\"text\"}")]
    [InlineData("application/octet-stream", "raw bytes")]
    public async Task Upload_that_is_not_a_form_is_a_400_problem(string contentType, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        using var response = await _client.PostAsync(Documents, content);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("multipart/form-data", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_without_a_body_is_a_400_problem()
    {
        using var response = await _client.PostAsync(Documents, content: null);

        await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Multipart_upload_without_a_boundary_is_a_400_problem_and_nothing_is_stored()
    {
        var before = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);
        using var content = new StringContent("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--x--\r\n");
        content.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");

        using var response = await _client.PostAsync(Documents, content);

        await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        await StoreSnapshot.AssertUnchangedAsync(before, fixture.Services, fixture.Store);
    }

    [Fact]
    public async Task Truncated_multipart_body_is_a_400_problem_and_nothing_is_stored()
    {
        var before = await StoreSnapshot.TakeAsync(fixture.Services, fixture.Store);
        using var content = new StringContent("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello, the closing boundary never comes");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");

        using var response = await _client.PostAsync(Documents, content);

        await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        await StoreSnapshot.AssertUnchangedAsync(before, fixture.Services, fixture.Store);
    }

    [Fact]
    public async Task Unknown_document_is_a_404_problem()
    {
        using var response = await _client.GetAsync($"/documents/{DocumentCatalog.NewId()}");

        await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("..%5C..%5Cwindows")]
    [InlineData("%2E%2E%2F%2E%2E%2Fetc")]
    [InlineData("records%2Fx.json")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("%01%02")]
    [InlineData("%E2%80%AE%F0%9F%92%A9")]
    public async Task Malformed_document_id_is_a_404_problem_and_the_app_keeps_answering(string id)
    {
        using var response = await _client.GetAsync($"/documents/{id}");

        await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
        using var alive = await _client.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Very_long_document_id_is_a_404_problem_that_does_not_echo_it_whole()
    {
        var id = new string('a', 5000);

        using var response = await _client.GetAsync($"/documents/{id}");

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.True(problem.GetProperty("detail").GetString()!.Length < 200);
    }
}
