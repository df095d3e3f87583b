import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTE_TOO_LONG } from "../server/server-definition.js";
import { startWhiteboardServer, type RunningWhiteboardServer } from "../server/start-server.js";
import { launchChromium, type TestBrowser } from "../../e2e-kit/chromium.js";
import {
  center,
  converged,
  create,
  drawn,
  syncState,
  WAIT,
  signInRecorded,
  type BoardUser,
} from "./board-page.js";

let dir: string;
let server: RunningWhiteboardServer;
let browser: TestBrowser;
let ada: BoardUser;
let bob: BoardUser;

const signIn = (name: string) => signInRecorded(browser, server.url, name);

describe("whiteboard in Chromium, two users", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "whiteboard-e2e-"));
    server = await startWhiteboardServer({ port: 0, dbFile: join(dir, "whiteboard.sqlite"), hmr: false });
    browser = await launchChromium();
    ada = await signIn("Ada");
    bob = await signIn("Bob");
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let rect: string;

  it("shows a shape one user creates and drags to the other, live during the drag", async () => {
    rect = await create(ada.page, "Rectangle");
    await converged(ada.page, bob.page);
    const start = (await drawn(bob.page))[0]!.box;

    const from = await center(ada.page, rect);
    const sx = from.x < 550 ? 1 : -1; // towards the middle of the page
    const sy = from.y < 360 ? 1 : -1;
    await ada.page.mouse.move(from.x, from.y);
    await ada.page.mouse.down();
    await ada.page.mouse.move(from.x + sx * 120, from.y + sy * 60, { steps: 6 });
    // The button is still down: bob already sees the shape elsewhere.
    await expect.poll(async () => (await drawn(bob.page))[0]!.box, WAIT).not.toBe(start);
    await ada.page.mouse.move(from.x + sx * 200, from.y + sy * 90, { steps: 4 });
    await ada.page.mouse.up();
    const [shape] = await converged(ada.page, bob.page);
    const [x, y] = start.split(",").map(Number);
    expect(shape!.box.split(",").slice(0, 2)).toEqual([String(x! + sx * 200), String(y! + sy * 90)]);
  });

  it("coalesces a burst of pointer moves into a few mutations on the wire", async () => {
    const sentBefore = ada.frames.sent.join("\n").split('"setBox"').length;
    const before = Number((await drawn(ada.page))[0]!.box.split(",")[0]);
    const from = await center(ada.page, rect);
    // 100 pointer moves within one task, i.e. within one frame.
    await ada.page.evaluate(
      ({ id, x, y }) => {
        const target = document.querySelector(`[data-id="${id}"]`)!;
        const canvas = document.querySelector("[data-testid=canvas]")!;
        const init = { bubbles: true, pointerId: 1, isPrimary: true, button: 0, buttons: 1 };
        target.dispatchEvent(new PointerEvent("pointerdown", { ...init, clientX: x, clientY: y }));
        for (let i = 1; i <= 100; i++) {
          canvas.dispatchEvent(new PointerEvent("pointermove", { ...init, clientX: x - i, clientY: y }));
        }
        canvas.dispatchEvent(new PointerEvent("pointerup", { ...init, clientX: x - 100, clientY: y }));
      },
      { id: rect, ...from },
    );
    const [shape] = await converged(ada.page, bob.page);
    expect(Number(shape!.box.split(",")[0])).toBe(before - 100);
    const setBoxFrames = ada.frames.sent.join("\n").split('"setBox"').length - sentBefore;
    expect(setBoxFrames).toBeGreaterThan(0);
    expect(setBoxFrames).toBeLessThanOrEqual(3);
  });

  it("recolours, resizes, deletes, with undo and redo of one's own changes", async () => {
    await ada.page.getByRole("button", { name: "Colour #fca5a5" }).click();
    await expect.poll(async () => (await drawn(bob.page))[0]!.fill, WAIT).toBe("#fca5a5");

    const handle = await ada.page.getByTestId("resize-handle").boundingBox();
    await ada.page.mouse.move(handle!.x + 4, handle!.y + 4);
    await ada.page.mouse.down();
    await ada.page.mouse.move(handle!.x + 64, handle!.y + 44, { steps: 4 });
    await ada.page.mouse.up();
    const [resized] = await converged(ada.page, bob.page);
    expect(resized!.box.split(",").slice(2, 4)).toEqual(["220", "140"]);

    await ada.page.getByRole("button", { name: "Undo" }).click(); // the resize
    await expect.poll(async () => (await drawn(bob.page))[0]!.box.split(",")[2], WAIT).toBe("160");
    await ada.page.getByRole("button", { name: "Undo" }).click(); // the colour
    await expect.poll(async () => (await drawn(bob.page))[0]!.fill, WAIT).toBe("#a5b4fc");
    await ada.page.getByRole("button", { name: "Redo" }).click();
    await expect.poll(async () => (await drawn(bob.page))[0]!.fill, WAIT).toBe("#fca5a5");

    await ada.page.getByRole("button", { name: "Delete" }).click();
    await expect.poll(async () => (await drawn(bob.page)).length, WAIT).toBe(0);
    await ada.page.getByRole("button", { name: "Undo" }).click();
    const [restored] = await converged(ada.page, bob.page);
    expect(restored).toMatchObject({ id: rect, fill: "#fca5a5" });
  });

  it("keeps the selection private to its user", async () => {
    await ada.page.locator(".selection").waitFor(WAIT); // ada has the rectangle selected
    expect(await bob.page.locator(".selection").count()).toBe(0);
    const adaFrames = ada.frames.received.join("\n");
    const bobFrames = bob.frames.received.join("\n");
    expect(adaFrames).toContain("$$pu/ada/selection");
    expect(bobFrames).not.toContain("$$pu/ada/");
    expect(adaFrames).not.toContain("$$pu/bob/");
  });

  it("shows the server's reason when it rejects a note, and rolls it back", async () => {
    const note = await create(ada.page, "Sticky note");
    await ada.page.locator(`[data-id="${note}"]`).dblclick();
    const tooLong = "Too long for the server. ".repeat(8);
    await ada.page.getByLabel("Note text").fill(tooLong);
    await ada.page.getByLabel("Note text").press("Enter");
    const toast = ada.page.getByTestId("rejection");
    await toast.waitFor(WAIT);
    expect(await toast.textContent()).toContain(NOTE_TOO_LONG);
    // The editor opens again with the refused text; cancelling it keeps the note as it was.
    await expect.poll(() => ada.page.getByLabel("Note text").inputValue(), WAIT).toBe(tooLong);
    await ada.page.getByLabel("Note text").press("Escape");
    const shapes = await converged(ada.page, bob.page);
    expect(shapes.find((s) => s.id === note)?.text).toBe("Note");
    await toast.getByRole("button", { name: "Dismiss" }).click();
  });

  it("lets both users edit while one is offline, then converges", async () => {
    await ada.context.setOffline(true);
    await syncState(ada.page, "offline");
    const from = await center(ada.page, rect);
    await ada.page.mouse.move(from.x, from.y);
    await ada.page.mouse.down();
    await ada.page.mouse.move(from.x + 40, from.y + 200, { steps: 4 });
    await ada.page.mouse.up();
    const adaEllipse = await create(ada.page, "Ellipse");
    const bobEllipse = await create(bob.page, "Ellipse");
    await bob.page.getByRole("button", { name: "Colour #86efac" }).click();

    await ada.context.setOffline(false);
    await syncState(ada.page, "online");
    const shapes = await converged(ada.page, bob.page);
    expect(shapes.map((s) => s.id).sort()).toEqual(
      [rect, adaEllipse, bobEllipse, ...shapes.filter((s) => s.kind === "sticky").map((s) => s.id)].sort(),
    );
  });

  it("keeps data and pending edits across a reload, and pushes them afterwards", async () => {
    let reachable = false;
    await ada.page.routeWebSocket(/\/sync$/, (ws) => (reachable ? ws.connectToServer() : ws.close()));
    await ada.page.reload(); // routing applies to documents loaded from now on
    await syncState(ada.page, "offline");
    const count = (await drawn(ada.page)).length;
    const made = await create(ada.page, "Rectangle");
    await ada.page.reload();
    await expect.poll(async () => (await drawn(ada.page)).map((s) => s.id), WAIT).toContain(made);
    expect((await drawn(ada.page)).length).toBe(count + 1);
    expect(Number(await ada.page.getByTestId("sync").getAttribute("data-pending"))).toBeGreaterThan(0);
    expect((await drawn(bob.page)).map((s) => s.id)).not.toContain(made);

    reachable = true;
    await ada.page.evaluate(() => window.dispatchEvent(new Event("online")));
    await converged(ada.page, bob.page);
  });

  it("keeps two tabs of one user in step while offline", async () => {
    const second = await ada.context.newPage();
    await second.goto(server.url);
    await syncState(second, "online");
    let made = "";
    try {
      await ada.context.setOffline(true);
      await syncState(second, "offline");
      made = await create(second, "Sticky note");
      await expect.poll(async () => (await drawn(ada.page)).map((s) => s.id), WAIT).toContain(made);
    } finally {
      await ada.context.setOffline(false);
    }
    await expect.poll(async () => (await drawn(bob.page)).map((s) => s.id), WAIT).toContain(made);
    await second.close();
  });
});
